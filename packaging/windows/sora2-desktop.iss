; Inno Setup 6 script: turns the PyInstaller bundle (dist\sora2-desktop\) into a per-user Windows installer.
;   iscc /DAppVersion=0.1.0 /DBundleDir=..\..\build\windows\dist\sora2-desktop /DOutputDir=..\..\build\windows ^
;        packaging\windows\sora2-desktop.iss
; packaging\windows\build_windows.ps1 does exactly that after building the bundle.
;
; Signing: with /DSignToolName=<name> and ISCC's /S<name>=<signtool command ... $f>, Inno signs the setup AND the
; uninstaller it embeds (SignedUninstaller; a signtool run after ISCC could reach the setup only). Without it the
; output says so in its name: Sora2Desktop-<version>-unsigned-Setup.exe.
;
; Per-user by default: no administrator rights, installs to %LOCALAPPDATA%\Programs\Sora 2 Desktop, a Start-menu
; entry for this user, an uninstaller in Settings > Apps. An administrator may still choose "for all users" in the
; first dialog (or /ALLUSERS on the command line). The user's profile (settings, history, downloads, logs) lives in
; the user's own folders and is kept on uninstall, like the key in Windows Credential Manager.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef BundleDir
  #define BundleDir "..\..\build\windows\dist\sora2-desktop"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\build\windows"
#endif
#ifdef SignToolName
  #define SetupBaseName "Sora2Desktop-" + AppVersion + "-Setup"
#else
  #define SetupBaseName "Sora2Desktop-" + AppVersion + "-unsigned-Setup"
#endif
#define AppName "Sora 2 Desktop"
#define AppExe "sora2-desktop.exe"

[Setup]
; The AppId identifies the app to Windows across versions (upgrades, uninstall): never change it.
AppId={{6F1E2B7C-5A2D-4B8E-9C3F-2D7A4E1B9C50}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Sora 2 Desktop
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
; Per-user install without admin: {autopf} is %LOCALAPPDATA%\Programs in that mode.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UninstallDisplayName={#AppName}
UninstallDisplayIcon={app}\{#AppExe}
SetupIconFile=..\..\resources\icons\sora2-desktop.ico
OutputDir={#OutputDir}
OutputBaseFilename={#SetupBaseName}
#ifdef SignToolName
SignTool={#SignToolName}
SignedUninstaller=yes
#endif
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Qt 6 runs on 64-bit Windows 10 1809 and later.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0.17763
; Close a running copy before replacing its files, and restart it afterwards if it was running.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the whole bundle: files a previous version had and this one has not must not linger.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
