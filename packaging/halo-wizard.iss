; Inno Setup 6 script: the Halo Connection Wizard's per-user Windows installer.
;
; Built by packaging/windows.py (build_installer), which runs ISCC with:
;   /DAppVersion=0.1.0         the version people read (pyproject.toml's)
;   /DNumericVersion=0.1.0.0   the same as four numbers, for Windows' version resource
;   /DSourceDir=...            PyInstaller's dist\halo-wizard folder, installed whole
;   /DOutputDir=...            where halo-wizard-<version>-windows-x64-setup.exe is written
;   /DIconFile=...             halo-wizard.ico, for the installer itself
; Needs Inno Setup 6.3 or later, the first to know the x64compatible architecture.

#ifndef AppVersion
  #error Pass /DAppVersion=X.Y.Z to ISCC (packaging/windows.py does)
#endif
#ifndef NumericVersion
  #error Pass /DNumericVersion=X.Y.Z.0 to ISCC (packaging/windows.py does)
#endif
#ifndef SourceDir
  #error Pass /DSourceDir=<the dist\halo-wizard folder> to ISCC (packaging/windows.py does)
#endif
#ifndef OutputDir
  #error Pass /DOutputDir=<folder for the installer> to ISCC (packaging/windows.py does)
#endif
#ifndef IconFile
  #error Pass /DIconFile=<halo-wizard.ico> to ISCC (packaging/windows.py does)
#endif

#define AppName "Halo Connection Wizard"
#define AppPublisher "Halo Connection Wizard"
#define AppExeName "halo-wizard.exe"

[Setup]
; Windows and every later installer recognise an installed copy by this ID, to upgrade it in
; place or remove it: it never changes. (The doubled brace is how Inno Setup writes one.)
AppId={{7AEEEC39-158A-4F5C-BC96-3F4557A755D5}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
VersionInfoVersion={#NumericVersion}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} Setup
; Installs for the current user only and never asks for administrator rights: the admins who
; set up a Halo connection are often not administrators of the computer they do it on. With no
; PrivilegesRequiredOverridesAllowed, Setup offers no way to elevate either.
PrivilegesRequired=lowest
; In this non-administrative mode {autopf} is {userpf}, the user's own Programs folder
; (%LOCALAPPDATA%\Programs), and {autoprograms}/{autodesktop} are the user's Start menu and
; desktop, so nothing here is written where other users' files are.
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
; PyInstaller's build is 64-bit: run only on x64 Windows (or Arm64 Windows 11, which emulates
; x64) and install in 64-bit mode there.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 runs on Windows 10 1809 and later.
MinVersion=10.0.17763
OutputDir={#OutputDir}
OutputBaseFilename=halo-wizard-{#AppVersion}-windows-x64-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression=lzma2
SolidCompression=yes
; The optional PATH entry below changes the user's environment; this makes Setup (and later the
; uninstaller) tell Explorer, so that new terminals see the change without signing out.
ChangesEnvironment=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "addtopath"; Description: "Add the command-line tool (halo-wizard-cli) to PATH for this user"; GroupDescription: "Command line:"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole runtime: a library or Qt plugin left over from an older version
; could otherwise be loaded beside the new ones. Only the program's own folder is touched.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
; The whole PyInstaller folder: halo-wizard.exe (the window), halo-wizard-cli.exe (the
; command line, a console program) and the runtime they share in _internal.
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; There is deliberately no [UninstallDelete] section. The uninstaller removes what this
; installer put in {app}, the shortcuts and the optional PATH entry, and nothing else: the
; connection files the admin saved (in Documents, by default), the wizard's settings and log
; folders, and the secrets it stored in Windows Credential Manager all stay. Other tools use
; those connections, and removing this program must not break them.

[Code]
const
  EnvironmentKey = 'Environment';

{ Where the install folder stands in ';' + Paths + ';' (1-based), or 0 when it is not there.
  Both sides get a ';' so that only a whole entry matches, never part of a longer folder. }
function AppDirPosition(const Paths: String): Integer;
begin
  Result := Pos(';' + Uppercase(ExpandConstant('{app}')) + ';', ';' + Uppercase(Paths) + ';');
end;

procedure AddAppDirToPath;
var
  Paths: String;
begin
  { The user's own Path only (HKCU): the system-wide one would need administrator rights. }
  if not RegQueryStringValue(HKEY_CURRENT_USER, EnvironmentKey, 'Path', Paths) then
    Paths := '';
  if AppDirPosition(Paths) > 0 then
    Exit;
  if (Paths <> '') and (Copy(Paths, Length(Paths), 1) <> ';') then
    Paths := Paths + ';';
  { REG_EXPAND_SZ, as Windows keeps it, so entries such as %USERPROFILE%\bin still expand. }
  if not RegWriteExpandStringValue(HKEY_CURRENT_USER, EnvironmentKey, 'Path',
    Paths + ExpandConstant('{app}')) then
    Log('Could not add the install folder to the user''s Path.');
end;

procedure RemoveAppDirFromPath;
var
  Paths: String;
  Index: Integer;
begin
  if not RegQueryStringValue(HKEY_CURRENT_USER, EnvironmentKey, 'Path', Paths) then
    Exit;
  Index := AppDirPosition(Paths);
  if Index = 0 then
    Exit;
  { Remove ';' + folder from ';' + Paths + ';', then the two added ';' again: every other
    entry stays exactly as the user had it. }
  Paths := ';' + Paths + ';';
  Delete(Paths, Index, Length(ExpandConstant('{app}')) + 1);
  if Length(Paths) <= 2 then
    Paths := ''
  else
    Paths := Copy(Paths, 2, Length(Paths) - 2);
  if Paths = '' then
    RegDeleteValue(HKEY_CURRENT_USER, EnvironmentKey, 'Path')
  else
    RegWriteExpandStringValue(HKEY_CURRENT_USER, EnvironmentKey, 'Path', Paths);
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  { An upgrade follows the box as ticked this time (Setup remembers the last choice). }
  if CurStep = ssPostInstall then
  begin
    if WizardIsTaskSelected('addtopath') then
      AddAppDirToPath
    else
      RemoveAppDirFromPath;
  end;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  { usUninstall comes before the uninstaller announces the environment change; later would be
    too late for Explorer to hear of it. }
  if CurUninstallStep = usUninstall then
    RemoveAppDirFromPath;
end;
