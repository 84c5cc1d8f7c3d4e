# Builds the Windows installer of Sora 2 Desktop from this checkout (PowerShell 5+ or 7, on 64-bit Windows 10/11):
#
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build_windows.ps1 [-Out build\windows] [-Python py]
#                                                                              [-AllowNoMedia]
#
#   1. a fresh build venv (OUT\venv): the app's runtime dependencies and PyInstaller, exactly as locked with hashes
#      in packaging\requirements-lock.txt and requirements-build-lock.txt (pip --require-hashes)
#   2. the bundle: PyInstaller with packaging\sora2-desktop.spec       -> OUT\dist\sora2-desktop\sora2-desktop.exe
#   3. a smoke test: the bundle's --self-test on a temporary profile (self_test.ps1; -AllowNoMedia accepts a build
#      machine without Media Foundation, with a warning, instead of failing)
#   4. the installer: Inno Setup 6 (installed with winget or Chocolatey when ISCC.exe is missing)
#        signed:   OUT\Sora2Desktop-<version>-Setup.exe
#        unsigned: OUT\Sora2Desktop-<version>-unsigned-Setup.exe (the name says it; so does the log)
#   5. OUT\SHA256SUMS over the installer, OUT\sbom.cdx.json and OUT\THIRD_PARTY_LICENSES.txt (made by the spec)
# Signing (optional): set WINDOWS_SIGN_PFX (path to a .pfx) and WINDOWS_SIGN_PASSWORD. The certificate is added to
# the user's store for the build and removed after, and signtool (Windows SDK) selects it by thumbprint, so the
# password is on no command line. Signed, with an RFC 3161 timestamp: the app's .exe, and through Inno's SignTool
# directive the setup and the uninstaller inside it.
param(
  [string]$Out = "",
  [string]$Python = "python",
  [switch]$AllowNoMedia
)
$ErrorActionPreference = "Stop"
$Repo = (Resolve-Path (Join-Path $PSScriptRoot "..\..")).Path
if (-not $Out) { $Out = Join-Path $Repo "build\windows" }
New-Item -ItemType Directory -Force -Path $Out | Out-Null
$Out = (Resolve-Path $Out).Path
function Log($msg) { Write-Host "[build_windows] $msg" }
$started = Get-Date
$TimestampUrl = "http://timestamp.digicert.com"
$thumbprint = $null

try {
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

  # -- 2. bundle; the spec also writes the build's commit into it, and the licence list and SBOM of the build venv
  # (packaging\third_party.py) into OUT, beside the installer
  Log "bundling with PyInstaller"
  Push-Location $Out
  $env:SORA2_THIRD_PARTY_OUT = $Out
  & $Py -m PyInstaller --noconfirm --clean --log-level WARN --distpath (Join-Path $Out "dist") `
    --workpath (Join-Path $Out "pyinstaller") (Join-Path $Repo "packaging\sora2-desktop.spec")
  $code = $LASTEXITCODE
  Pop-Location
  if ($code) { throw "PyInstaller failed" }
  $Bundle = Join-Path $Out "dist\sora2-desktop"
  $Exe = Join-Path $Bundle "sora2-desktop.exe"
  foreach ($made in @("sbom.cdx.json", "THIRD_PARTY_LICENSES.txt")) {
    if (-not (Test-Path (Join-Path $Out $made))) { throw "the spec wrote no $Out\$made (packaging\third_party.py)" }
  }

  # -- 3. smoke test: a windowed .exe has no console, so wait for it and read the lines it leaves in the profile
  . (Join-Path $PSScriptRoot "self_test.ps1")
  Invoke-SelfTest -Exe $Exe -AllowNoMedia:$AllowNoMedia

  # -- signing (optional)
  $signtool = $null
  if ($env:WINDOWS_SIGN_PFX) {
    $signtool = (Get-Command signtool.exe -ErrorAction SilentlyContinue).Source
    if (-not $signtool) {
      $signtool = Get-ChildItem "${env:ProgramFiles(x86)}\Windows Kits\10\bin\*\x64\signtool.exe" -ErrorAction SilentlyContinue |
        Sort-Object FullName | Select-Object -Last 1 -ExpandProperty FullName
    }
    if (-not $signtool) { throw "WINDOWS_SIGN_PFX is set but signtool.exe was not found (install the Windows SDK)" }
    $password = New-Object System.Security.SecureString  # a .pfx may have an empty password
    if ($env:WINDOWS_SIGN_PASSWORD) {
      $password = ConvertTo-SecureString -String $env:WINDOWS_SIGN_PASSWORD -AsPlainText -Force
    }
    # .NET rather than Import-PfxCertificate: the same in PowerShell 5 and 7, no PKI module needed.
    $certificate = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2(
      $env:WINDOWS_SIGN_PFX, $password, "PersistKeySet,UserKeySet")
    $store = New-Object System.Security.Cryptography.X509Certificates.X509Store("My", "CurrentUser")
    $store.Open("ReadWrite"); $store.Add($certificate); $store.Close()
    $thumbprint = $certificate.Thumbprint
    & $signtool sign /sha1 $thumbprint /fd SHA256 /tr $TimestampUrl /td SHA256 $Exe
    if ($LASTEXITCODE) { throw "signing $Exe failed" }
  }

  # -- 4. installer
  $iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
  $isccPlaces = @("${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe", "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
                  "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe")
  if (-not $iscc) { $iscc = $isccPlaces | Where-Object { Test-Path $_ } | Select-Object -First 1 }
  if (-not $iscc) {
    Log "installing Inno Setup 6"
    if (Get-Command choco -ErrorAction SilentlyContinue) {
      choco install innosetup -y --no-progress | Out-Null
    } else {
      winget install --id JRSoftware.InnoSetup -e --silent --accept-package-agreements --accept-source-agreements | Out-Null
    }
    $iscc = $isccPlaces | Where-Object { Test-Path $_ } | Select-Object -First 1
    if (-not $iscc) { throw "Inno Setup 6 (ISCC.exe) not found" }
  }
  $isccArgs = @("/Q", "/DAppVersion=$Version", "/DBundleDir=$Bundle", "/DOutputDir=$Out")
  if ($thumbprint) {
    # Inno runs this for the setup and for the uninstaller it embeds: $f is the file, $q a quote (no literal quotes:
    # PowerShell 5 would pass them to ISCC mangled).
    $isccArgs += "/DSignToolName=sora2sign"
    $isccArgs += ('/Ssora2sign=$q' + $signtool + '$q sign /sha1 ' + $thumbprint + ' /fd SHA256 /tr ' + $TimestampUrl +
                  ' /td SHA256 $f')
    $Setup = Join-Path $Out "Sora2Desktop-$Version-Setup.exe"
  } else {
    $Setup = Join-Path $Out "Sora2Desktop-$Version-unsigned-Setup.exe"
  }
  # A setup of an earlier run, signed or not, must not be mistaken for this one.
  Remove-Item (Join-Path $Out "Sora2Desktop-*-Setup.exe") -ErrorAction SilentlyContinue
  Log "making the installer with $iscc"
  & $iscc @isccArgs (Join-Path $PSScriptRoot "sora2-desktop.iss")
  if ($LASTEXITCODE) { throw "ISCC failed" }
  if (-not (Test-Path $Setup)) { throw "ISCC made no $Setup" }
  if ($thumbprint) {
    $signature = Get-AuthenticodeSignature $Setup
    if ($signature.Status -ne "Valid") { throw "$Setup is not validly signed: $($signature.StatusMessage)" }
  } else {
    $message = "the installer is UNSIGNED (no WINDOWS_SIGN_PFX): SmartScreen warns whoever runs it"
    if ($env:GITHUB_ACTIONS) { Write-Host "::warning title=Unsigned installer::$message" } else { Log $message }
  }

  # -- 5. checksums of what is published, in the format `sha256sum -c` reads (LF, no BOM)
  $published = @($Setup, (Join-Path $Out "sbom.cdx.json"), (Join-Path $Out "THIRD_PARTY_LICENSES.txt"))
  $sums = $published | ForEach-Object {
    "{0}  {1}" -f (Get-FileHash -Algorithm SHA256 $_).Hash.ToLowerInvariant(), (Split-Path -Leaf $_)
  }
  [IO.File]::WriteAllText((Join-Path $Out "SHA256SUMS"), (($sums -join "`n") + "`n"))

  $bundleBytes = (Get-ChildItem -Recurse -File $Bundle | Measure-Object -Sum Length).Sum
  Log ("done in {0:N0} s" -f ((Get-Date) - $started).TotalSeconds)
  Write-Host ("built: {0} {1:N1}MB (bundle, unpacked)" -f $Bundle, ($bundleBytes / 1MB))
  Write-Host ("built: {0} {1:N1}MB" -f $Setup, ((Get-Item $Setup).Length / 1MB))
} finally {
  Remove-Item Env:SORA2_THIRD_PARTY_OUT -ErrorAction SilentlyContinue
  if ($thumbprint) { Remove-Item -Force "Cert:\CurrentUser\My\$thumbprint" -ErrorAction SilentlyContinue }
}
