# Replaces PyInstaller's own hook for this module (the spec's hookspath wins): the same collection, trimmed by
# qt_trim.py, and WITHOUT the OpenSSL libraries PyInstaller's hook adds for QtNetwork's TLS backend
# (pyside6_library_info.collect_qtnetwork_files()). The app uses QtNetwork only for QLocalServer/QLocalSocket
# (core/runtime/single_instance.py), never for TLS, and qt_trim.py drops the tls/ plugins (qopensslbackend, ...)
# that would load OpenSSL; httpx does the app's HTTPS with Python's ssl module, whose own OpenSSL PyInstaller collects
# for _ssl/_hashlib anyway. On Windows that hook would search PATH for the libssl-3-x64.dll/libcrypto-3-x64.dll
# Qt looks for (Python ships differently named ones) and bundle whichever OpenSSL build the build machine happens to
# have there: unused, of unknown origin, and several MB.
from PyInstaller.utils.hooks.qt import add_qt6_dependencies
from qt_trim import trim

hiddenimports, binaries, datas = trim(*add_qt6_dependencies(__file__))
