# Replaces PyInstaller's own hook for this module (the spec's hookspath wins): the same collection, trimmed by
# qt_trim.py before PyInstaller follows the collected plugins' dependencies.
from PyInstaller.utils.hooks.qt import add_qt6_dependencies
from qt_trim import trim

hiddenimports, binaries, datas = trim(*add_qt6_dependencies(__file__))
