; Inno Setup script: a per-user installer for the Windows onedir build, no admin rights needed.
; Built on a Windows runner after `bash build/build-installer.sh` (see .github/workflows/release.yml):
;   iscc /DAppVersion=0.4.0 /DSourceDir=..\out\dist\sparkgui /DOutputDir=..\out\packages build\windows\sparkgui.iss
; Installs into the user's programs folder (%LOCALAPPDATA%\Programs\sparkgui), with a Start-menu entry and
; an uninstaller; the user's kept runs (%APPDATA%\sparkgui) stay when it is uninstalled.

#ifndef AppVersion
  #error Pass /DAppVersion=X.Y.Z (the version in pyproject.toml)
#endif
#ifndef SourceDir
  #define SourceDir "..\out\dist\sparkgui"
#endif
#ifndef OutputDir
  #define OutputDir "..\out\packages"
#endif

[Setup]
AppId={{6B0C7E52-2D5B-4D0B-9C4E-5A7A4C1F0E11}
AppName=sparkgui
AppVersion={#AppVersion}
AppVerName=sparkgui {#AppVersion}
AppPublisher=Sparkup
AppPublisherURL=https://www.sparkup.app/
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=
DefaultDirName={autopf}\sparkgui
DefaultGroupName=sparkgui
DisableProgramGroupPage=yes
DisableDirPage=yes
UninstallDisplayIcon={app}\sparkgui.exe
OutputDir={#OutputDir}
OutputBaseFilename=sparkgui-{#AppVersion}-windows-setup
SetupIconFile=..\out\icons\app.ico
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
CloseApplications=yes

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "fr"; MessagesFile: "compiler:Languages\French.isl"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{userprograms}\sparkgui"; Filename: "{app}\sparkgui.exe"; WorkingDir: "{app}"
Name: "{userprograms}\Uninstall sparkgui"; Filename: "{uninstallexe}"

[Run]
Filename: "{app}\sparkgui.exe"; Description: "{cm:LaunchProgram,sparkgui}"; Flags: nowait postinstall skipifsilent
