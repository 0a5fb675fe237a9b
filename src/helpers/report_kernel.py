"""Report kernels forked from the warm process (``helpers.report_warm``) instead of spawned.

papermill and nbclient drive such a kernel like any other: a jupyter_client provisioner forks it
and hands jupyter_client a ``Popen``-like handle. The kernel is this interpreter's ipykernel,
whatever kernel name the notebook carries, so a fresh machine needs no installed kernelspec.
"""

from __future__ import annotations

import os
import signal
import uuid

import zmq
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import default

from . import report_warm


def serve_kernel(argv: list[str], cwd: str, env: dict[str, str]) -> None:
    """The body of a forked kernel: what ``python -m ipykernel_launcher -f FILE`` does, minus the imports."""
    os.setsid()  # its own process group, as jupyter_client gives a spawned kernel
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance()
    # parent_handle: exit if the warm process goes (it goes when the report command does). The log
    # is quiet: what a cell prints goes into the notebook, and the rest (such as the interrupt that
    # jupyter_client sends before shutting a kernel down) would only clutter the command's output.
    app.initialize([*argv, f"--IPKernelApp.parent_handle={os.getppid()}", "--IPKernelApp.log_level=CRITICAL"])
    app.start()


class ForkedProcess:
    """The part of ``Popen`` that jupyter_client's provisioner uses, over a forked ``Process``."""

    stdin = stdout = stderr = None

    def __init__(self, process):
        self._process = process
        self.pid = process.pid

    def poll(self) -> int | None:
        return None if self._process.is_alive() else self._process.exitcode

    def wait(self, timeout: float | None = None) -> int | None:
        self._process.join(timeout)
        return self._process.exitcode

    def send_signal(self, signum: int) -> None:
        if self._process.is_alive():
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class ForkedProvisioner(LocalProvisioner):
    """Launches the kernel as a fork of the warm process rather than a new interpreter."""

    async def launch_kernel(self, cmd: list[str], **kwargs):
        argv = cmd[cmd.index("-f"):]  # "-f {connection_file}" and any extra arguments
        cwd = str(kwargs.get("cwd") or os.getcwd())
        env = dict(kwargs.get("env") or os.environ)
        process = report_warm.fork(serve_kernel, argv, cwd, env)
        self.process = ForkedProcess(process)
        self.pid = self.pgid = process.pid
        self.cwd = cwd
        return self.connection_info


class ForkedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels are forks of the warm process."""

    @default("transport_encryption")
    def _encrypt(self):  # CurveZMQ where available: the kernel then has nothing to warn about
        return "auto" if zmq.has("curve") else "disabled"

    @property
    def kernel_spec(self):
        """This interpreter's ipykernel, whatever kernel name the notebook carries."""
        if self._kernel_spec is None:
            from ipykernel.kernelspec import get_kernel_dict
            from jupyter_client.kernelspec import KernelSpec

            self._kernel_spec = KernelSpec(resource_dir="", **get_kernel_dict())
        return self._kernel_spec

    async def _async_pre_start_kernel(self, **kw):
        self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
        if self.provisioner is None:
            self.provisioner = ForkedProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)
