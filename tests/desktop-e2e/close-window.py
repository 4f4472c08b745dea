#!/usr/bin/env python3
"""Asks an X11 window to close the way a window manager's close button does: a WM_DELETE_WINDOW
client message. Used by the desktop e2e test to check that closing Zapis's window keeps the app
in the tray. Talks to libX11 through ctypes, so it needs no X tools or Python packages.

usage: close-window.py PID TITLE   (the top-level window of process PID with that title)
"""
import ctypes
import ctypes.util
import sys


class ClientMessageData(ctypes.Union):
    _fields_ = [("l", ctypes.c_long * 5)]


class XClientMessageEvent(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("serial", ctypes.c_ulong),
        ("send_event", ctypes.c_int),
        ("display", ctypes.c_void_p),
        ("window", ctypes.c_ulong),
        ("message_type", ctypes.c_ulong),
        ("format", ctypes.c_int),
        ("data", ClientMessageData),
    ]


class XEvent(ctypes.Union):
    _fields_ = [("xclient", XClientMessageEvent), ("pad", ctypes.c_long * 24)]


CLIENT_MESSAGE = 33
NO_EVENT_MASK = 0


def main():
    pid, title = int(sys.argv[1]), sys.argv[2].encode()
    x11 = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XDefaultRootWindow.restype = ctypes.c_ulong
    x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    x11.XInternAtom.restype = ctypes.c_ulong
    x11.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    x11.XQueryTree.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong),
                               ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.POINTER(ctypes.c_ulong)),
                               ctypes.POINTER(ctypes.c_uint)]
    x11.XFetchName.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(ctypes.c_char_p)]
    x11.XGetWindowProperty.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_long,
                                       ctypes.c_long, ctypes.c_int, ctypes.c_ulong,
                                       ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_int),
                                       ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_ulong),
                                       ctypes.POINTER(ctypes.POINTER(ctypes.c_ubyte))]
    x11.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long,
                               ctypes.POINTER(XEvent)]
    x11.XFlush.argtypes = [ctypes.c_void_p]
    x11.XFree.argtypes = [ctypes.c_void_p]

    display = x11.XOpenDisplay(None)
    if not display:
        sys.exit("close-window: cannot open the X display (is DISPLAY set?)")
    net_wm_pid = x11.XInternAtom(display, b"_NET_WM_PID", 0)

    def window_pid(window):
        kind, fmt, n, after = ctypes.c_ulong(), ctypes.c_int(), ctypes.c_ulong(), ctypes.c_ulong()
        data = ctypes.POINTER(ctypes.c_ubyte)()
        status = x11.XGetWindowProperty(display, window, net_wm_pid, 0, 1, 0, 6,  # XA_CARDINAL
                                        ctypes.byref(kind), ctypes.byref(fmt), ctypes.byref(n),
                                        ctypes.byref(after), ctypes.byref(data))
        if status != 0 or n.value == 0:
            return None
        value = ctypes.cast(data, ctypes.POINTER(ctypes.c_ulong))[0]
        x11.XFree(data)
        return value

    def children(window):
        root, parent = ctypes.c_ulong(), ctypes.c_ulong()
        kids, count = ctypes.POINTER(ctypes.c_ulong)(), ctypes.c_uint()
        if not x11.XQueryTree(display, window, ctypes.byref(root), ctypes.byref(parent),
                              ctypes.byref(kids), ctypes.byref(count)):
            return []
        found = [kids[i] for i in range(count.value)]
        if kids:
            x11.XFree(kids)
        return found

    def name(window):
        text = ctypes.c_char_p()
        if x11.XFetchName(display, window, ctypes.byref(text)) and text.value is not None:
            return text.value
        return None

    stack = [x11.XDefaultRootWindow(display)]
    target = None
    while stack and target is None:
        window = stack.pop()
        if name(window) == title and window_pid(window) == pid:
            target = window
        stack.extend(children(window))
    if target is None:
        sys.exit(f"close-window: no window titled {title.decode()!r} belongs to process {pid}")

    event = XEvent()
    event.xclient.type = CLIENT_MESSAGE
    event.xclient.window = target
    event.xclient.message_type = x11.XInternAtom(display, b"WM_PROTOCOLS", 0)
    event.xclient.format = 32
    event.xclient.data.l[0] = x11.XInternAtom(display, b"WM_DELETE_WINDOW", 0)
    event.xclient.data.l[1] = 0  # CurrentTime
    if not x11.XSendEvent(display, target, 0, NO_EVENT_MASK, ctypes.byref(event)):
        sys.exit("close-window: XSendEvent failed")
    x11.XFlush(display)
    print(f"close-window: asked window 0x{target:x} of process {pid} to close")


if __name__ == "__main__":
    main()
