# IPython kernel configuration of the project's venv: `make venv` copies it to
# .venv/etc/ipython/, which every kernel of that venv reads (JupyterLab,
# papermill, nbval, `make reports`).
#
# A local kernel started by a Jupyter client talks over TCP on 127.0.0.1 and
# ipykernel logs a warning about it at every start; the clients used here do
# not offer CurveZMQ keys, so the warning says nothing an analyst can act on.
# Only that message is dropped: every other warning of the kernel still shows.
import logging


class _WithoutTcpNotice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "running over TCP without encryption" not in record.getMessage()


logging.getLogger("IPKernelApp").addFilter(_WithoutTcpNotice())
