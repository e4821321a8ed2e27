# Build the Windows release: PyInstaller one-folder bundle, self-test, then the Inno Setup installer.
# Run from the repository root in PowerShell, with Python 3.11 and Inno Setup 6 (iscc) installed:
#     pwsh packaging/windows/build.ps1
# Optional signing: set GOVDESK_SIGN_CERT (path to a .pfx) and GOVDESK_SIGN_PASSWORD; the bundle's
# executables and the installer are then signed with signtool and timestamped.
$ErrorActionPreference = "Stop"
$Root = (Resolve-Path "$PSScriptRoot\..\..").Path
$Out = Join-Path $Root "out"
$Venv = Join-Path $Out "build-venv"
$Version = & python -c "import tomllib; print(tomllib.load(open(r'$Root\pyproject.toml','rb'))['project']['version'])"

New-Item -ItemType Directory -Force -Path $Out | Out-Null
if (-not (Test-Path "$Venv\Scripts\python.exe")) { python -m venv $Venv }
& "$Venv\Scripts\python.exe" -m pip install -q "$Root[packaging]"
& "$Venv\Scripts\python.exe" -m pip install -q --no-deps --force-reinstall $Root

Push-Location $Out
& "$Venv\Scripts\pyinstaller.exe" --noconfirm --log-level WARN --distpath "$Out\dist" --workpath "$Out\build" "$Root\packaging\govdesk.spec"
Pop-Location
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }

# govdesk-cli.exe is the console twin of the windowed govdesk.exe (same bundle).
& "$Out\dist\govdesk\govdesk-cli.exe" --self-test
if ($LASTEXITCODE -ne 0) { throw "the bundle's self-test failed" }

$IsccArgs = @("/DAppVersion=$Version", "/DSourceDir=$Out\dist\govdesk", "/DOutputDir=$Out")
if ($env:GOVDESK_SIGN_CERT) {
    $Sign = "signtool sign /f `"$env:GOVDESK_SIGN_CERT`" /p `"$env:GOVDESK_SIGN_PASSWORD`" /fd sha256 /tr http://timestamp.digicert.com /td sha256"
    Get-ChildItem "$Out\dist\govdesk" -Filter *.exe | ForEach-Object { Invoke-Expression "$Sign `"$($_.FullName)`"" }
    $IsccArgs += "/DSignTool=1"
    $IsccArgs += "/Ssigntool=$Sign `$f"
}
& iscc @IsccArgs "$Root\packaging\windows\govdesk.iss"
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
Write-Host "wrote $Out\govdesk-$Version-setup.exe"
