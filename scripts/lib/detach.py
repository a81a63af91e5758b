"""Starts a test server detached from the script that launches it, and prints the server's PID.

Usage: python3 scripts/lib/detach.py DIR [--user NAME] -- COMMAND [ARG...]

The server runs in DIR with DIR/server.log as its output, stdin from /dev/null, in a session of its own and with a
clean signal mask (a caller that blocks SIGTERM must still be able to stop it), holding no other descriptor of the
caller's (a caller waiting for its pipes to close must not wait for the server too). With --user it runs as that
user and group (PostgreSQL refuses root); the PID printed is the server's own, never a wrapper's.
"""
import signal, subprocess, sys

arguments = sys.argv[1:]
directory = arguments.pop(0)
owner = {}
if arguments[0] == "--user":
    owner = {"user": arguments[1], "group": arguments[1], "extra_groups": []}
    arguments = arguments[2:]
if arguments[0] != "--":
    sys.exit("usage: detach.py DIR [--user NAME] -- COMMAND [ARG...]")
command = arguments[1:]


def reset_signals():
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)


with open(f"{directory}/server.log", "ab") as log:
    server = subprocess.Popen(command, cwd=directory, stdin=subprocess.DEVNULL, stdout=log, stderr=log, close_fds=True,
                              start_new_session=True, preexec_fn=reset_signals, **owner)
print(server.pid)
