"""Keeps this process's traffic on 127.0.0.1.

`install()` replaces the socket module's name lookups and connects with ones that refuse, before
any packet is sent, every host that is not loopback (127.0.0.0/8, ::1, "localhost"), and records
each refusal in `refused`. `self_test()` proves the guard is in place by trying Cashfree's real
sandbox host and checking that this guard, not the network, refused it.

    >>> install(); self_test()
    True
    >>> refused
    []
"""

import ipaddress
import socket

#: Hosts refused since `install()`, in order (the self-test's own attempt is not kept).
refused = []

_MARK = "loopback_only: refused"


def is_loopback(host):
    """Whether `host` (a name, an address, or bytes of either) stays on this machine."""
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if host is None or host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]").split("%")[0]).is_loopback
    except ValueError:
        return False


def _refuse(host):
    refused.append(str(host))
    raise OSError(f"{_MARK} {host}: test traffic stays on 127.0.0.1")


def install():
    """Puts the guard in front of getaddrinfo, gethostbyname(_ex), connect and connect_ex."""
    real = {
        "getaddrinfo": socket.getaddrinfo,
        "gethostbyname": socket.gethostbyname,
        "gethostbyname_ex": socket.gethostbyname_ex,
        "connect": socket.socket.connect,
        "connect_ex": socket.socket.connect_ex,
    }

    def lookup(name):
        def guarded(host, *args, **kwargs):
            if not is_loopback(host):
                _refuse(host)
            return real[name](host, *args, **kwargs)

        return guarded

    def connecting(name):
        def guarded(sock, address, *args, **kwargs):
            inet = sock.family in (socket.AF_INET, socket.AF_INET6)
            if inet and not is_loopback(address[0]):
                _refuse(address[0])
            return real[name](sock, address, *args, **kwargs)

        return guarded

    for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex"):
        setattr(socket, name, lookup(name))
    for name in ("connect", "connect_ex"):
        setattr(socket.socket, name, connecting(name))


def self_test():
    """True when a connection to Cashfree's sandbox host is refused by this guard."""
    before = len(refused)
    try:
        socket.create_connection(("sandbox.cashfree.com", 443), timeout=2).close()
    except OSError as e:
        blocked_here = _MARK in str(e)
    else:
        blocked_here = False
    del refused[before:]
    return blocked_here
