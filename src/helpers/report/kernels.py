"""Report kernels forked from the warm process (``helpers.report._warm``) instead of spawned.

Through jupyter_client's documented extension points only: a kernel provisioner
(``ForkedProvisioner``, registered under the entry point group ``jupyter_client.kernel_provisioners``
as ``tally-forked``) forks the kernel and hands jupyter_client a ``Popen``-like handle; a kernel
spec manager (``ForkedSpecs``) names that provisioner in the kernel spec's metadata, whatever
kernel name the notebook carries, so a fresh machine needs no installed kernelspec. papermill
and nbclient drive such a kernel like any other.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from queue import Empty

import zmq
import zmq.asyncio
from jupyter_client import protocol_version_info
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import default

from . import _warm
from .render import PROVISIONER

GONE_WITHIN = 5.0  # seconds a killed kernel is waited for
LISTEN_EVERY = 0.01  # seconds between two looks for the new kernel on a channel
ASK_AGAIN = 1.0  # seconds before kernel_info is asked again of a kernel that has not replied


def serve_kernel(argv: list[str], cwd: str, env: dict[str, str]) -> None:
    """The body of a forked kernel: what ``python -m ipykernel_launcher -f FILE`` does, minus the imports."""
    _warm.end_with_parent()
    # the warm process's handle on it is daemonic (ended with it); the kernel itself may start
    # processes of its own (the figures', ``sections.figures``), which a daemonic process may not
    multiprocessing.current_process().daemon = False
    os.setsid()  # its own process group, as jupyter_client gives a spawned kernel
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance()
    # parent_handle: exit if the warm process goes (it goes when the report command does). The log
    # is quiet: what a cell prints goes into the notebook, and the rest (such as the interrupt that
    # jupyter_client sends before shutting a kernel down) would only clutter the command's output.
    # ignore_cwd: the kernel's folder (the project) is not on its import path.
    app.initialize([*argv, f"--IPKernelApp.parent_handle={os.getppid()}", "--IPKernelApp.log_level=CRITICAL",
                    "--IPKernelApp.ignore_cwd=True"])
    app.start()


class ForkedProcess:
    """The part of ``Popen`` that jupyter_client's provisioner uses, over a forked ``Process``."""

    stdin = stdout = stderr = None

    def __init__(self, process):
        self.process = process
        self.pid = process.pid

    def poll(self) -> int | None:
        return None if self.process.is_alive() else self.process.exitcode

    def wait(self, timeout: float | None = None) -> int | None:
        self.process.join(timeout)
        return self.process.exitcode

    def send_signal(self, signum: int) -> None:
        if self.process.is_alive():
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class ForkedProvisioner(LocalProvisioner):
    """Launches the kernel as a fork of the warm process rather than a new interpreter."""

    async def launch_kernel(self, cmd: list[str], **kwargs):
        """Fork the kernel; ``cmd`` gives its arguments ("-f {connection_file}" and any after)."""
        argv = cmd[cmd.index("-f"):]
        cwd = str(kwargs.get("cwd") or os.getcwd())
        env = dict(kwargs.get("env") or os.environ)
        process = _warm.fork(serve_kernel, argv, cwd, env)
        self.process = ForkedProcess(process)
        self.pid = self.pgid = process.pid
        return self.connection_info

    async def kill(self, restart: bool = False) -> None:
        """Kill the kernel and wait (a few milliseconds) until it has gone: jupyter_client then
        finds it gone at once rather than looking again a tenth of a second later."""
        process = self.process
        await super().kill(restart)
        if isinstance(process, ForkedProcess):
            process.wait(GONE_WITHIN)


# One zmq context for every report kernel's client in this process, whose sockets try again every
# 5 ms. Never terminated: it lasts as long as the command.
QUICK_CONTEXT = zmq.asyncio.Context()
QUICK_CONTEXT.setsockopt(zmq.RECONNECT_IVL, 5)


class ForkedSpecs(KernelSpecManager):
    """Kernel specs for report kernels: this interpreter's ipykernel, forked by ``ForkedProvisioner``."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        """The one report kernel spec, whatever the name asked for."""
        from ipykernel.kernelspec import get_kernel_dict

        spec = get_kernel_dict()
        return KernelSpec(resource_dir="", argv=spec["argv"], display_name=spec["display_name"],
                          language=spec["language"],
                          metadata={"kernel_provisioner": {"provisioner_name": PROVISIONER}})


class QuickClient(AsyncKernelClient):
    """jupyter_client's asynchronous client, ready as soon as the new kernel is heard on both channels."""

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        """Wait, as jupyter_client's client does, for the kernel's reply to ``kernel_info`` on the shell
        channel and then for a message on IOPub (proof that its subscription is connected). Where no
        IOPub message comes, jupyter_client's waits a fifth of a second before asking again; this one
        asks again every 10 ms (each request makes the kernel publish its status), then reads the
        replies to the extra requests, so that the channels are left as jupyter_client leaves them."""
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        asked, reply, heard = [self.kernel_info()], None, False
        last_asked = time.monotonic()
        while reply is None or not heard:
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")
            if reply is None:
                try:
                    msg = await self.shell_channel.get_msg(timeout=LISTEN_EVERY)
                except Empty:
                    if time.monotonic() - last_asked > ASK_AGAIN:
                        asked.append(self.kernel_info())
                        last_asked = time.monotonic()
                else:
                    if msg["msg_type"] == "kernel_info_reply" and msg["parent_header"].get("msg_id") in asked:
                        reply = msg
                        asked.remove(msg["parent_header"]["msg_id"])
            else:
                try:
                    await self.iopub_channel.get_msg(timeout=LISTEN_EVERY)
                    heard = True
                except Empty:
                    asked.append(self.kernel_info())
            if not await self.is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
        for _ in asked:  # the extra requests' replies, which come at once from a kernel that is up
            try:
                await self.shell_channel.get_msg(timeout=ASK_AGAIN)
            except Empty:
                break
        version = int(reply["content"]["protocol_version"].split(".")[0])
        if version != protocol_version_info[0]:  # an older kernel: its messages adapted, as jupyter_client does
            self.session.adapt_version = version


class ForkedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels are forks of the warm process."""

    @default("kernel_spec_manager")
    def forked_specs(self) -> ForkedSpecs:
        return ForkedSpecs(parent=self)

    @default("client_factory")
    def quick_client(self) -> type:
        return QuickClient

    def client(self, **kwargs):
        """jupyter_client's client, on a context whose sockets try a port again after 5 ms rather than
        zmq's 100: the client connects before the new kernel has bound its ports, and the kernel is
        then heard as soon as it listens."""
        kwargs.setdefault("context", QUICK_CONTEXT)
        return super().client(**kwargs)

    @default("transport_encryption")
    def encrypt_where_possible(self):  # CurveZMQ where available: the kernel then has nothing to warn about
        return "auto" if zmq.has("curve") else "disabled"
