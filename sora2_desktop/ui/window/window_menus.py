"""The main window's menu bar: every command in one place, in the order an editor's app lists them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar

from sora2_desktop.ui.common.shortcut_sheet import SheetOpener
from sora2_desktop.ui.export.contact_sheet_dialog import open_contact_sheet_dialog
from sora2_desktop.ui.export.export_dialog import EXPORT_SELECTS_KEYS, open_export_dialog
from sora2_desktop.ui.projects.generate_all import GenerateAll
from sora2_desktop.ui.projects.shot_list_actions import ShotListActions

if TYPE_CHECKING:
    from sora2_desktop.ui.window.main_window import MainWindow


def build_menus(window: MainWindow) -> None:
    bar = window.menuBar()
    file_menu = _menu(bar, window.tr("&File"))
    file_menu.addActions(window.shots.project_actions)
    export_selects = _action(
        window, window.tr("E&xport selects…"), QKeySequence(EXPORT_SELECTS_KEYS), lambda: open_export_dialog(window)
    )
    export_selects.setObjectName("export_selects")
    file_menu.addAction(export_selects)
    sheet = _action(
        window, window.tr("Contact s&heet…"), None, lambda: open_contact_sheet_dialog(window, shot_only=False)
    )
    sheet.setObjectName("contact_sheet")
    file_menu.addAction(sheet)
    file_menu.addSeparator()
    shot_lists = ShotListActions(window.session, window.shots, window)  # shot lists in and out as CSV
    file_menu.addActions([shot_lists.import_action, shot_lists.export_action])
    shot_lists.status_message.connect(lambda text: window.statusBar().showMessage(text, 8000))
    file_menu.addSeparator()
    window.settings_action = _action(
        window, window.tr("&Settings…"), QKeySequence.StandardKey.Preferences, window.open_settings
    )
    if window.settings_action.shortcut().isEmpty():
        window.settings_action.setShortcut(QKeySequence("Ctrl+,"))
    file_menu.addAction(window.settings_action)
    window.enter_key_action = _action(
        window, window.tr("Enter your &API key…"), None, lambda: window.open_settings("account")
    )
    file_menu.addAction(window.enter_key_action)
    file_menu.addSeparator()
    file_menu.addAction(_action(window, window.tr("&Quit"), QKeySequence.StandardKey.Quit, window.close))

    edit_menu = _menu(bar, window.tr("&Edit"))
    editor = window.form.prompt_editor.editor()
    # The editor handles these keys itself while it has the focus; the menu entries show and reach them.
    undo = _action(window, window.tr("&Undo"), QKeySequence.StandardKey.Undo, editor.undo)
    redo = _action(window, window.tr("&Redo"), QKeySequence.StandardKey.Redo, editor.redo)
    for action in (undo, redo):
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    editor.undoAvailable.connect(undo.setEnabled)
    editor.redoAvailable.connect(redo.setEnabled)
    undo.setEnabled(False)
    redo.setEnabled(False)
    edit_menu.addActions([undo, redo, window.task_list.undo_remove_action])
    edit_menu.addSeparator()
    edit_menu.addMenu(window.form.prompt_editor.craft_menu())

    gen_menu = _menu(bar, window.tr("&Generate"))
    window.generate_action = _action(
        window, window.tr("&Generate"), QKeySequence("Ctrl+Return"), window.compose.generate
    )
    window.generate_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # the form owns the shortcut
    gen_menu.addAction(window.generate_action)
    generate_all = GenerateAll(window.session, window.shots, window)  # every ready shot, after the whole estimate
    gen_menu.addActions([generate_all.generate_all_action, generate_all.stop_action])
    generate_all.status_message.connect(lambda text: window.statusBar().showMessage(text, 8000))
    gen_menu.addAction(
        _action(window, window.tr("Focus the &prompt"), QKeySequence("Ctrl+L"), window.form.prompt_editor.focus_editor)
    )
    gen_menu.addAction(
        _action(window, window.tr("&Search tasks"), QKeySequence.StandardKey.Find, window.focus_activity_search)
    )

    shot_menu = _menu(bar, window.tr("&Shot"))
    shot_menu.addActions(window.shots.shot_actions)
    shot_sheet = _action(
        window,
        window.tr("&Contact sheet of this shot…"),
        None,
        lambda: open_contact_sheet_dialog(window, shot_only=True),
    )
    shot_sheet.setObjectName("shot_contact_sheet")
    shot_menu.addSeparator()
    shot_menu.addAction(shot_sheet)
    window.shots.add_context_actions([shot_sheet, export_selects])

    window.take_desk.fill_menu(_menu(bar, window.tr("Ta&ke")))

    tasks = window.task_list
    task_menu = _menu(bar, window.tr("&Task"))
    task_menu.addActions([tasks.copy_task_id_action, tasks.copy_prompt_action])
    task_menu.addSeparator()
    task_menu.addActions([tasks.load_action, tasks.rerun_action, tasks.rerun_longer_action])
    task_menu.addSeparator()
    task_menu.addActions([tasks.cancel_action, tasks.retry_action, tasks.remove_action])

    r = window.results
    video_menu = _menu(bar, window.tr("&Video"))
    video_menu.addActions([r.reveal_action, r.open_action, r.export_action])
    video_menu.addSeparator()
    video_menu.addActions([r.copy_path_action, r.copy_url_action, r.redownload_action, r.compare_action])
    video_menu.addSeparator()
    video_menu.addActions(window.take_desk.frames.actions())  # save, copy and use frames (results/frame_actions)

    window.spend_action = _action(window, window.tr("&Spend…"), None, window.open_spend)
    view_menu = _menu(bar, window.tr("&View"))
    view_menu.addAction(_action(window, window.tr("S&hot list"), QKeySequence("Ctrl+1"), window.shots.focus_list))
    view_menu.addAction(_action(window, window.tr("&Takes"), QKeySequence("Ctrl+2"), window.focus_takes))
    view_menu.addAction(_action(window, window.tr("&Activity"), QKeySequence("Ctrl+3"), window.focus_activity))
    view_menu.addSeparator()
    view_menu.addAction(window.spend_action)
    help_menu = _menu(bar, window.tr("&Help"))
    window.shortcut_sheet = SheetOpener(window)  # F1, and ? where it would type nothing
    help_menu.addAction(window.shortcut_sheet.action)
    help_menu.addAction(_action(window, window.tr("Open &log folder"), None, lambda: _open_log_folder(window)))
    help_menu.addAction(_action(window, window.tr("&About Sora 2 Desktop"), None, lambda: _about(window)))


def _menu(bar: QMenuBar, title: str) -> QMenu:
    """The menu of that title the window's frame made (window_frame.MENU_TITLES, painted before the parts exist),
    or a new one at the end."""
    for action in bar.actions():
        menu = action.menu()
        if action.text() == title and isinstance(menu, QMenu):
            return menu
    return bar.addMenu(title)


def _action(
    window: MainWindow, text: str, shortcut: QKeySequence | QKeySequence.StandardKey | None, slot: Any
) -> QAction:
    """An action of the window (its shortcut works wherever the window has focus, menu open or not)."""
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(slot)
    window.addAction(action)
    return action


def _open_log_folder(window: MainWindow) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(window.session.profile.logs_dir)))


def _about(window: MainWindow) -> None:
    from sora2_desktop.ui.window.about_dialog import AboutDialog  # made when asked for, not at start-up

    dialog = AboutDialog(window)
    dialog.setObjectName("aboutDialog")
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
