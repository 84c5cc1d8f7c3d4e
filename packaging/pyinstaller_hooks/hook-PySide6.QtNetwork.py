# Replaces PyInstaller's own hook for this module (the spec's hookspath wins): the same collection, trimmed by
# qt_trim.py before PyInstaller follows the collected plugins' dependencies.
from PyInstaller.utils.hooks.qt import add_qt6_dependencies, pyside6_library_info
from qt_trim import trim

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries += pyside6_library_info.collect_qtnetwork_files()
hiddenimports, binaries, datas = trim(hiddenimports, binaries, datas)
