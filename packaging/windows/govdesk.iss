; Inno Setup 6 script: turns the PyInstaller folder (out\dist\govdesk) into govdesk-VERSION-setup.exe.
; Built by packaging\windows\build.ps1, which passes the version from pyproject.toml:
;     iscc /DAppVersion=0.1.0 /DSourceDir=..\..\out\dist\govdesk /DOutputDir=..\..\out packaging\windows\govdesk.iss
; Per-user install by default (no admin prompt); an admin may choose "all users" in the dialog.

#ifndef AppVersion
  #error Pass /DAppVersion=X.Y.Z (packaging\windows\build.ps1 does)
#endif
#ifndef SourceDir
  #define SourceDir "..\..\out\dist\govdesk"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\out"
#endif

[Setup]
AppId={{6C1F2D1E-8E0B-4B7A-9B55-2F1B3C9D7A10}
AppName=govdesk
AppVersion={#AppVersion}
AppPublisher=govdesk developers
AppPublisherURL=https://github.com/govdesk/govdesk
DefaultDirName={autopf}\govdesk
DefaultGroupName=govdesk
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#OutputDir}
OutputBaseFilename=govdesk-{#AppVersion}-setup
SetupIconFile=govdesk.ico
UninstallDisplayIcon={app}\govdesk.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Code signing: build.ps1 defines a sign tool named "signtool" when a certificate is configured
; (see packaging\README.md). Without one the installer is built unsigned.
#ifdef SignTool
SignTool=signtool
SignedUninstaller=yes
#endif

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\govdesk"; Filename: "{app}\govdesk.exe"
Name: "{autodesktop}\govdesk"; Filename: "{app}\govdesk.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Run]
Filename: "{app}\govdesk.exe"; Description: "{cm:LaunchProgram,govdesk}"; Flags: nowait postinstall skipifsilent
