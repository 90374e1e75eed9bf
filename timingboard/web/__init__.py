"""Live timing beyond the desk: a web page served on the LAN, and a broker for many followers.

Qt-free: the servers run in threads of their own and take messages made by
:mod:`timingboard.qt.live_publisher` through thread-safe calls.
"""
