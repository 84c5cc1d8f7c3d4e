# Invoke-SelfTest -Exe <path to sora2-desktop.exe>: runs `--self-test` offscreen on a fresh temporary profile, waits
# for it (a windowed .exe does not block the console), prints its one-line report and throws unless it passed and
# decoded a frame. Used by build_windows.ps1 and the hosted CI workflow.
function Invoke-SelfTest {
  param([Parameter(Mandatory = $true)][string]$Exe, [int]$TimeoutSeconds = 180)
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
    $line = if (Test-Path $report) { (Get-Content -Raw $report).Trim() } else { "(no report written)" }
    Write-Host "$Exe -> exit $($proc.ExitCode): $line"
    if ($proc.ExitCode -ne 0 -or -not $line.StartsWith("self-test ok:") -or $line -notmatch "frame=\d+x\d+") {
      throw "self-test failed for $Exe"
    }
  } finally {
    Remove-Item Env:QT_QPA_PLATFORM -ErrorAction SilentlyContinue
    Remove-Item -Recurse -Force $profileDir -ErrorAction SilentlyContinue
  }
}
