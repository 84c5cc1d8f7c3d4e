# Builds the Windows installer of Sora 2 Desktop from this checkout (PowerShell 5+ or 7, on 64-bit Windows 10/11):
#
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build_windows.ps1 [-Out build\windows] [-Python py]
#
#   1. a fresh build venv (OUT\venv): the app's runtime dependencies and PyInstaller, exactly as locked with hashes
#      in packaging\requirements-lock.txt and requirements-build-lock.txt (pip --require-hashes)
#   2. the bundle: PyInstaller with packaging\sora2-desktop.spec       -> OUT\dist\sora2-desktop\sora2-desktop.exe
#   3. a smoke test: the bundle's --self-test on a temporary profile
#   4. the installer: Inno Setup 6 (installed with winget or Chocolatey when ISCC.exe is missing)
#                                                                       -> OUT\Sora2Desktop-<version>-Setup.exe
# Signing (optional): set WINDOWS_SIGN_PFX (path to a .pfx) and WINDOWS_SIGN_PASSWORD, and signtool (Windows SDK)
# signs the .exe inside the bundle and the installer, with an RFC 3161 timestamp.
param(
  [string]$Out = "",
  [string]$Python = "python"
)
$ErrorActionPreference = "Stop"
$Repo = (Resolve-Path (Join-Path $PSScriptRoot "..\..")).Path
if (-not $Out) { $Out = Join-Path $Repo "build\windows" }
New-Item -ItemType Directory -Force -Path $Out | Out-Null
$Out = (Resolve-Path $Out).Path
function Log($msg) { Write-Host "[build_windows] $msg" }
$started = Get-Date

# -- 1. build venv
$Venv = Join-Path $Out "venv"
$Py = Join-Path $Venv "Scripts\python.exe"
if (-not (Test-Path $Py)) {
  Log "making a fresh build venv in $Venv"
  & $Python -m venv $Venv; if ($LASTEXITCODE) { throw "venv failed" }
}
# Only the hash-checked locks (no unpinned pip upgrade): a release changed on PyPI cannot reach a build. The app's
# own code is analysed from the checkout (the spec's pathex), so it is not installed.
foreach ($lock in @("requirements-lock.txt", "requirements-build-lock.txt")) {
  & $Py -m pip install -q --disable-pip-version-check --require-hashes -r (Join-Path $Repo "packaging\$lock")
  if ($LASTEXITCODE) { throw "pip install of $lock failed" }
}
Push-Location $Repo
$Version = (& $Py -c "import sora2_desktop; print(sora2_desktop.__version__)").Trim()
Pop-Location

# -- 2. bundle
Log "bundling with PyInstaller"
Push-Location $Out
& $Py -m PyInstaller --noconfirm --clean --log-level WARN --distpath (Join-Path $Out "dist") `
  --workpath (Join-Path $Out "pyinstaller") (Join-Path $Repo "packaging\sora2-desktop.spec")
$code = $LASTEXITCODE
Pop-Location
if ($code) { throw "PyInstaller failed" }
$Bundle = Join-Path $Out "dist\sora2-desktop"
$Exe = Join-Path $Bundle "sora2-desktop.exe"

# -- 3. smoke test: a windowed .exe has no console, so wait for it and read the line it leaves in the profile
. (Join-Path $PSScriptRoot "self_test.ps1")
Invoke-SelfTest -Exe $Exe

# -- optional signing
$signtool = $null
if ($env:WINDOWS_SIGN_PFX) {
  $signtool = (Get-Command signtool.exe -ErrorAction SilentlyContinue).Source
  if (-not $signtool) {
    $signtool = Get-ChildItem "${env:ProgramFiles(x86)}\Windows Kits\10\bin\*\x64\signtool.exe" -ErrorAction SilentlyContinue |
      Sort-Object FullName | Select-Object -Last 1 -ExpandProperty FullName
  }
  if (-not $signtool) { throw "WINDOWS_SIGN_PFX is set but signtool.exe was not found (install the Windows SDK)" }
}
function Sign($file) {
  if (-not $signtool) { return }
  & $signtool sign /f $env:WINDOWS_SIGN_PFX /p $env:WINDOWS_SIGN_PASSWORD /fd SHA256 `
    /tr "http://timestamp.digicert.com" /td SHA256 $file
  if ($LASTEXITCODE) { throw "signing $file failed" }
}
Sign $Exe

# -- 4. installer
$iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $iscc) {
  $candidates = @("${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe", "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
                  "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe")
  $iscc = $candidates | Where-Object { Test-Path $_ } | Select-Object -First 1
}
if (-not $iscc) {
  Log "installing Inno Setup 6"
  if (Get-Command choco -ErrorAction SilentlyContinue) {
    choco install innosetup -y --no-progress | Out-Null
  } else {
    winget install --id JRSoftware.InnoSetup -e --silent --accept-package-agreements --accept-source-agreements | Out-Null
  }
  $iscc = @("${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe", "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
            "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe") | Where-Object { Test-Path $_ } | Select-Object -First 1
  if (-not $iscc) { throw "Inno Setup 6 (ISCC.exe) not found" }
}
Log "making the installer with $iscc"
& $iscc /Q "/DAppVersion=$Version" "/DBundleDir=$Bundle" "/DOutputDir=$Out" (Join-Path $PSScriptRoot "sora2-desktop.iss")
if ($LASTEXITCODE) { throw "ISCC failed" }
$Setup = Join-Path $Out "Sora2Desktop-$Version-Setup.exe"
Sign $Setup

$bundleBytes = (Get-ChildItem -Recurse -File $Bundle | Measure-Object -Sum Length).Sum
Log ("done in {0:N0} s" -f ((Get-Date) - $started).TotalSeconds)
Write-Host ("built: {0} {1:N1}MB (bundle, unpacked)" -f $Bundle, ($bundleBytes / 1MB))
Write-Host ("built: {0} {1:N1}MB" -f $Setup, ((Get-Item $Setup).Length / 1MB))
