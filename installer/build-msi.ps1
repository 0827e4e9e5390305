# Production build on Windows: freeze the desk and build the MSI with WiX 5 (docs/installer.md).
#
#   powershell -ExecutionPolicy Bypass -File installer\build-msi.ps1 [-Version 0.1.0]
#
# Needs: Python 3.11 x64 with the project installed (py -3.11 -m venv .venv; .venv\Scripts\pip install
# -e .[installer]), the WiX 5 .NET tool (dotnet tool install --global wix --version 5.*) and its Util
# extension (wix extension add --global WixToolset.Util.wixext/5.0.2).
# Result: build\msi\clerk-desk-<version>-x64.msi
param([string]$Version = "")
$ErrorActionPreference = "Stop"
$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root
$Py = Join-Path $Root ".venv\Scripts\python.exe"
if (-not $Version) {
    $Version = (Select-String -Path clerk_desk\__init__.py -Pattern '__version__ = "(.*)"').Matches[0].Groups[1].Value
}

& $Py -m PyInstaller --noconfirm --distpath build\frozen\dist --workpath build\frozen\work installer\clerk_desk.spec
if ($LASTEXITCODE) { throw "PyInstaller failed" }
$Frozen = "build\frozen\dist\clerk-desk"
& "$Frozen\clerk-desk-cli.exe" --version
if ($LASTEXITCODE) { throw "the frozen desk does not start" }

New-Item -ItemType Directory -Force build\msi | Out-Null
& $Py installer\msi_files.py $Frozen build\msi\files.wxs --wix5
$Msi = "build\msi\clerk-desk-$Version-x64.msi"
wix build -arch x64 -ext WixToolset.Util.wixext -d "Version=$Version" -o $Msi `
    installer\clerk-desk.wix5.wxs build\msi\files.wxs
if ($LASTEXITCODE) { throw "wix build failed" }
Write-Host "built $Msi"
