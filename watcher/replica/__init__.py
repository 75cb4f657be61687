"""A local replica of the Zhejiang government sites: a real HTTP server on 127.0.0.1 for tests,
benchmarks and demos. See docs/replica.md."""

from watcher.replica.events import Edit, Fail, Publish, Reset, Slow, Truncate, Withdraw
from watcher.replica.remote import RemoteReplica, run_replica_process
from watcher.replica.server import LoggedRequest, Replica, ReplicaError, run_replica

__all__ = [
    "Edit",
    "Fail",
    "LoggedRequest",
    "Publish",
    "RemoteReplica",
    "Replica",
    "ReplicaError",
    "Reset",
    "Slow",
    "Truncate",
    "Withdraw",
    "run_replica",
    "run_replica_process",
]
