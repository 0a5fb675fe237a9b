"""Report kernels forked from the warm process (``helpers.report_warm``) instead of spawned.

papermill and nbclient drive such a kernel like any other: a jupyter_client provisioner forks it
and hands jupyter_client a ``Popen``-like handle. The kernel is this interpreter's ipykernel,
whatever kernel name the notebook carries, so a fresh machine needs no installed kernelspec.
"""

from __future__ import annotations

import os
import signal
import time
import uuid
from queue import Empty

import zmq
import zmq.asyncio
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager, KernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import DottedObjectName, Type, default

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
        env.update(getattr(self.parent, "kernel_env", {}))
        process = report_warm.fork(serve_kernel, argv, cwd, env)
        self.process = ForkedProcess(process)
        self.pid = self.pgid = process.pid
        self.cwd = cwd
        return self.connection_info


class ReadyKernelClient(AsyncKernelClient):
    """A kernel client that knows the kernel is ready as soon as it is, not 0.2 s later.

    jupyter_client's ``wait_for_ready`` ends by reading IOPub until it has been silent for 0.2 s.
    This one waits instead for the kernel's "idle" status in reply to its own ``kernel_info``
    request: that message proves IOPub is connected, and nothing of the handshake can follow it."""

    @default("context")
    def _context_default(self):
        # The client connects before the new kernel has bound its ports; zmq then tries again
        # after RECONNECT_IVL, 100 ms by default. 5 ms: the kernel is heard as soon as it listens.
        self._created_context = True
        context = zmq.asyncio.Context()
        context.setsockopt(zmq.RECONNECT_IVL, 5)
        return context

    async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            msg_id = self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                reply = None
            if reply and reply["msg_type"] == "kernel_info_reply" and await self._idle_after(msg_id, 0.5):
                self._handle_kernel_info_reply(reply)
                return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")

    async def _idle_after(self, msg_id: str, timeout: float) -> bool:
        """Whether IOPub carries the kernel's "idle" for ``msg_id`` within ``timeout`` seconds
        (it does not while IOPub is still connecting: the caller then asks again)."""
        end = time.monotonic() + timeout
        while (left := end - time.monotonic()) > 0:
            try:
                msg = await self.iopub_channel.get_msg(timeout=left)
            except Empty:
                return False
            if (msg["msg_type"] == "status" and msg["parent_header"].get("msg_id") == msg_id
                    and msg["content"].get("execution_state") == "idle"):
                return True
        return False

    wait_for_ready = _async_wait_for_ready  # the base class binds the name to its own method


class ForkedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels are forks of the warm process."""

    client_class = DottedObjectName("helpers.report_kernel.ReadyKernelClient")
    client_factory = Type(ReadyKernelClient, klass=AsyncKernelClient)
    kernel_env: dict[str, str] = {}  # set for the kernels' environment on top of this process's

    @classmethod
    def with_env(cls, **env: str) -> type["ForkedKernelManager"]:
        """This manager, for kernels whose environment also has ``env`` (papermill takes a class, not an instance)."""
        return type(cls.__name__, (cls,), {"kernel_env": {**cls.kernel_env, **env}})

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

    async def _async_wait(self, pollinterval: float = 0.1) -> None:
        # jupyter_client looks every 0.1 s whether a kernel it asked to shut down has gone; a forked
        # kernel goes within milliseconds, and every report would wait most of that tenth for nothing.
        await super()._async_wait(pollinterval=min(pollinterval, 0.005))

    async def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
        """jupyter_client's shutdown without the 10 ms pause it ends with (in ``in_pending_state``,
        "so that tests can capture the state"), which every report would wait through."""
        await KernelManager._async_shutdown_kernel.__wrapped__(self, now=now, restart=restart)

    async def _async_pre_start_kernel(self, **kw):
        self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
        if self.provisioner is None:
            self.provisioner = ForkedProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)
