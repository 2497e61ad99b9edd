"""Warm kernels: a report worker keeps its kernel between runs and gives each
run a fresh namespace, as Quarto's daemon and jupyter-cache do (issue 20).

Starting a kernel and importing pandas, altair and ``analysis`` in it costs
about 2 s, most of a run of a shipped notebook. A worker that runs several
notebooks starts one kernel and, after each run that succeeded, resets it to
the state a new kernel has after its startup file:

1. **Restore** what the startup file recorded when the kernel started
   (``analysis.reports.plan.STARTUP_CODE``):
   environment variables, ``sys.path``, the working folder and the warning
   filters (warnings shown once are shown again).
2. **Reset** the shell as IPython's own ``reset(new_session=True)`` does
   (names, ``In``/``Out``, the output cache, a new history session, the
   execution count back to 1, so that the executed notebook's counts are those
   of a new kernel), then re-run the startup file (its imports are cached, so
   this is instant).

A run that fails in any way (a cell's error, a time-out, the kernel dying),
a reset that does not answer ``ok``, a run in another folder or a kernel
that has done :data:`RUNS_PER_KERNEL` runs ends the kernel: the next run
starts a new one. What a reset cannot undo is a change a notebook makes to an
imported module (``analysis.x = ...``): the shipped notebooks make none, and
``tests/reports/test_warm_kernels.py`` compares a kept kernel's runs with new kernels' byte for byte.
``H200_COLD_KERNELS=1`` gives every run a new kernel.

Runs execute through :class:`WarmEngine`, a papermill engine (papermill's
extension point for execution) that is papermill's own nbclient engine with
the worker's kernel manager and its open client handed to nbclient.
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["COLD_ENV", "ENGINE_NAME", "KEPT", "RESET_CODE", "RUNS_PER_KERNEL", "make_engine", "register_engine"]

#: Run (silently, outside the history) after each successful run of a kept kernel.
RESET_CODE = """\
import os as _h200_os, sys as _h200_sys, warnings as _h200_warnings
_h200_env, _h200_path, _h200_cwd, _h200_filters = _h200_sys._h200_fresh
_h200_os.environ.clear(); _h200_os.environ.update(_h200_env)
_h200_sys.path[:] = _h200_path
_h200_os.chdir(_h200_cwd)
_h200_warnings.filters[:] = _h200_filters
_h200_warnings._filters_mutated()  # the "already warned" registries are thrown away with the old filters
_h200_warnings.onceregistry.clear()
get_ipython().reset(new_session=True)  # %reset -f, plus a new history session and the execution count back to 1
for _h200_file in sorted(__import__("glob").glob(__import__("os").path.join(get_ipython().profile_dir.startup_dir, "*.py"))):
    exec(compile(open(_h200_file, encoding="utf-8").read(), _h200_file, "exec"), get_ipython().user_ns)  # as IPython ran them
del _h200_file
"""

#: A kept kernel is ended after this many runs (memory a notebook leaves in imported modules is bounded).
RUNS_PER_KERNEL = 40
#: Set to 1 to give every run a new kernel (the cold path).
COLD_ENV = "H200_COLD_KERNELS"
ENGINE_NAME = "h200-warm"


class _KeptKernel:
    """The kernel a worker keeps: its manager, its client (channels open: a new
    client waits about 0.2 s for the kernel to answer on every channel), its
    folder, how many runs it did."""

    def __init__(self) -> None:
        self.manager: Any = None
        self.client: Any = None
        self.folder: str | None = None
        self.runs = 0

    def manager_for(self, kernel_name: str, folder: str) -> Any:
        """The kept manager if it can take a run in ``folder``, else a new
        manager without a kernel (nbclient starts it, as for a cold run)."""
        from jupyter_client.manager import AsyncKernelManager

        # No check of COLD_ENV here: on the cold path after_success has already ended the kernel.
        usable = (
            self.manager is not None and self.folder == folder and self.runs < RUNS_PER_KERNEL and self.manager.kernel_name == kernel_name
        )
        if usable and _is_alive(self.manager):
            return self.manager
        self.close()  # its client too: the next run's client starts one for the new kernel
        self.manager, self.folder, self.runs = AsyncKernelManager(kernel_name=kernel_name), folder, 0
        return self.manager

    def after_success(self, client: Any) -> None:
        """Reset the kernel for the next run and keep its client, or end both if the reset fails."""
        from jupyter_core.utils import run_sync

        self.runs += 1
        self.client = client.kc
        if os.environ.get(COLD_ENV) == "1":
            self.close()
            return
        try:
            reply = run_sync(client.kc.execute_interactive)(RESET_CODE, silent=True, store_history=False, timeout=60)
            ok = reply.get("content", {}).get("status") == "ok"
        except Exception:  # noqa: BLE001  # a kernel that cannot reset is not reused
            ok = False
        if not ok:
            self.close()

    def close(self) -> None:
        """End the kept kernel, if any."""
        from jupyter_core.utils import run_sync

        manager, self.manager, self.folder, self.runs = self.manager, None, None, 0
        kept_client, self.client = self.client, None
        if kept_client is not None:
            kept_client.stop_channels()
        if manager is not None and manager.has_kernel:
            try:
                run_sync(manager.shutdown_kernel)(now=True)
            except Exception:  # noqa: BLE001, S110  # already gone
                pass


def _is_alive(manager: Any) -> bool:
    from jupyter_core.utils import run_sync

    try:
        return bool(manager.has_kernel and run_sync(manager.is_alive)())
    except Exception:  # noqa: BLE001
        return False


KEPT = _KeptKernel()
_registered = False


def make_engine() -> type:
    """:class:`WarmEngine`, built on first use (papermill is imported in workers only)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, logger
    from papermill.utils import merge_kwargs, remove_args

    class WarmEngine(NBClientEngine):  # type: ignore[misc]  # papermill has no type stubs: NBClientEngine is Any
        """papermill's nbclient engine, on the worker's kept kernel."""

        @classmethod
        def execute_notebook(cls, nb: Any, kernel_name: str, output_path: Any = None, **kwargs: Any) -> Any:
            # papermill's execution manager saves the whole notebook when the run starts, at every cell's
            # start and end and when it completes (half a warm run's time went to encoding it); a report's
            # notebook is read from what papermill returns, so the manager saves it only for a failed run
            # (its cells and traceback), papermill itself writing it once more after a successful one.
            return super().execute_notebook(nb, kernel_name, output_path=None, failure_path=output_path, **kwargs)

        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man: Any,
            kernel_name: str,
            log_output: bool = False,
            stdout_file: Any = None,
            stderr_file: Any = None,
            start_timeout: int = 60,
            execution_timeout: int | None = None,
            failure_path: Any = None,
            **kwargs: Any,
        ) -> Any:
            # The same arguments as NBClientEngine.execute_managed_notebook (papermill 2.7) gives its client.
            kwargs = remove_args(["input_path"], **kwargs)
            final_kwargs = merge_kwargs(
                remove_args(["timeout", "startup_timeout"], **kwargs),
                timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            client = PapermillNotebookClient(nb_man, km=KEPT.manager_for(kernel_name, os.getcwd()), **final_kwargs)
            # The kept kernel's client, channels open (None for a new kernel: nbclient starts one and waits
            # for it). nbclient reads only the replies and outputs of its own requests, so whatever the
            # reset left on a channel is never taken for this run's.
            client.kc = KEPT.client
            try:
                executed = client.execute()
                KEPT.after_success(client)
            except BaseException:
                if client.kc is not None and client.kc is not KEPT.client:
                    client.kc.stop_channels()
                KEPT.close()
                nb_man.output_path = failure_path  # papermill's notebook_complete then writes what ran, and the error
                raise
            return executed

    return WarmEngine


def register_engine() -> str:
    """Register :class:`WarmEngine` with papermill as ``h200-warm`` (once per
    process), with the kept kernel ended when the process ends; its name."""
    import multiprocessing.util

    from papermill.engines import papermill_engines

    global _registered
    if not _registered:
        papermill_engines.register(ENGINE_NAME, make_engine())
        _registered = True
        # Finalize, not atexit: a pool worker leaves through os._exit, which skips atexit but not these.
        multiprocessing.util.Finalize(KEPT, KEPT.close, exitpriority=10)
    return ENGINE_NAME
