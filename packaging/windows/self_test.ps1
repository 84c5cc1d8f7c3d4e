# Invoke-SelfTest -Exe <path to sora2-desktop.exe> [-AllowNoMedia]: runs `--self-test` offscreen on a fresh temporary
# profile, waits for it (a windowed .exe does not block the console), prints the two lines it leaves in the profile's
# self-test.txt (the app's, then the player's) and throws unless both passed. Used by build_windows.ps1 and the hosted
# CI workflow. Exit codes of --self-test: 0 all well, 1 the app is broken, 3 the app is fine but this machine has no
# media support (Windows Server without the Server-Media-Foundation feature, Windows N without the Media Feature
# Pack). Exit 3 fails too unless -AllowNoMedia is given; then it is reported as a warning (a GitHub annotation in CI).
function Invoke-SelfTest {
  param([Parameter(Mandatory = $true)][string]$Exe, [int]$TimeoutSeconds = 180, [switch]$AllowNoMedia)
  $profileDir = Join-Path ([System.IO.Path]::GetTempPath()) ("sora2-self-test-" + [guid]::NewGuid())
  $env:QT_QPA_PLATFORM = "offscreen"
  try {
    $proc = Start-Process -FilePath $Exe -ArgumentList @("--self-test", "--profile", "`"$profileDir`"") `
      -PassThru -NoNewWindow
    $null = $proc.Handle  # keeps the handle open so ExitCode is still readable after the process ends
    # A windowed build shows a dialog (and waits) if it dies before the self-test can report: never wait forever.
    if (-not $proc.WaitForExit($TimeoutSeconds * 1000)) {
      $proc.Kill()
      throw "self-test of $Exe did not finish within $TimeoutSeconds s (an error dialog?)"
    }
    $report = Join-Path $profileDir "self-test.txt"
    $lines = @(if (Test-Path $report) { Get-Content $report | Where-Object { $_.Trim() } } else { "(no report written)" })
    $code = $proc.ExitCode
    Write-Host "$Exe -> exit $code"
    $lines | ForEach-Object { Write-Host "  $_" }
    $appLine = $lines | Where-Object { $_ -match '^self-test ' -and $_ -notmatch '^self-test player:' } | Select-Object -First 1
    $playerLine = $lines | Where-Object { $_ -match '^self-test player:' } | Select-Object -First 1
    if (-not ($appLine -match '^self-test ok:')) { throw "self-test failed for $Exe (exit $code): the app is broken" }
    if ($code -eq 0 -and $playerLine -match '^self-test player: ok frame=\d+x\d+') { return }
    if ($code -eq 3 -and $playerLine -match '^self-test player: unavailable:') {
      $message = "this machine has no media support, so the player was not checked: $playerLine"
      if (-not $AllowNoMedia) { throw "self-test of $Exe (exit 3): $message" }
      if ($env:GITHUB_ACTIONS) { Write-Host "::warning title=Player not checked::$message" }
      else { Write-Warning $message }
      return
    }
    throw "self-test failed for $Exe (exit $code): $playerLine"
  } finally {
    Remove-Item Env:QT_QPA_PLATFORM -ErrorAction SilentlyContinue
    Remove-Item -Recurse -Force $profileDir -ErrorAction SilentlyContinue
  }
}
