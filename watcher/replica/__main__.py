"""`python -m watcher.replica`: the replica in its own process (see `run_replica_process`).

Prints one JSON line `{"base_urls": {...}}` once listening, then serves until stdin closes,
so it never outlives the process that started it.
"""

from __future__ import annotations

import argparse
import json
import sys

from watcher.replica.server import ReplicaError, run_replica


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m watcher.replica", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="province port; city +1, county +2; 0 = any")
    parser.add_argument("--articles", type=int, default=0, help="extra synthetic articles")
    args = parser.parse_args()
    try:
        with run_replica(port=args.port, articles=args.articles) as replica:
            print(json.dumps({"base_urls": replica.base_urls}), flush=True)
            sys.stdin.read()
    except ReplicaError as exc:
        print(json.dumps({"error": str(exc)}), flush=True)
        return 2
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
