#!/usr/bin/env bash
# Start CUPS (without systemd) and make sure a cups-pdf queue named "PDF" exists, for the printing tests.
#
#   sudo bash scripts/start-cups.sh            # start/configure (idempotent, fast when already done)
#   sudo bash scripts/start-cups.sh --verify   # ... and print a test page through the queue
#
# Output folder: cups-pdf writes every job to /var/spool/cups-pdf/ANONYMOUS (the `Out` key of
# /etc/cups/cups-pdf.conf, set here; Debian's default would be ${HOME}/PDF of the submitting user).
# File names end in "-job_<id>.pdf" (`Label 2`), so a test finds its own output by the job id that
# `lp` prints. Override the folder with CUPS_PDF_OUT=/some/dir. The original config is kept as
# /etc/cups/cups-pdf.conf.orig.
#
# Exit status: 0 when the queue accepts jobs; 1 when it cannot be set up (not root, CUPS not
# installed, cupsd does not start) - callers go on and the printing tests skip with a reason.
set -euo pipefail

QUEUE="${CUPS_PDF_QUEUE:-PDF}"
OUT_DIR="${CUPS_PDF_OUT:-/var/spool/cups-pdf/ANONYMOUS}"
CONF=/etc/cups/cups-pdf.conf
VERIFY=0
[[ "${1:-}" == "--verify" ]] && VERIFY=1

say() { printf '[cups] %s\n' "$*"; }
die() { printf '[cups] cannot set up printing: %s\n' "$*" >&2; exit 1; }

[[ "$(id -u)" == 0 ]] || die "needs root (cupsd and lpadmin); run: sudo bash $0"
[[ -x /usr/sbin/cupsd ]] || die "/usr/sbin/cupsd not found (apt-get install cups cups-daemon)"
command -v lpadmin >/dev/null && command -v lpstat >/dev/null || die "lpadmin/lpstat missing (apt-get install cups-client)"
[[ -f "$CONF" && -e /usr/lib/cups/backend/cups-pdf ]] || die "cups-pdf missing (apt-get install printer-driver-cups-pdf)"

# --- cups-pdf configuration: one known output folder, unique file names, readable files ----------
[[ -f "$CONF.orig" ]] || cp -p "$CONF" "$CONF.orig"
set_key() { # set_key KEY VALUE: replace an active or commented "KEY ..." line, or append one
    local key="$1" value="$2"
    if grep -Fxq "${key} ${value}" "$CONF"; then return 0; fi
    if grep -Eq "^#?${key}([[:space:]]|\$)" "$CONF"; then
        sed -i -E "0,/^#?${key}([[:space:]]|\$).*/s||${key} ${value//|/\\|}|" "$CONF"
    else
        [[ -z "$(tail -c1 "$CONF")" ]] || echo >>"$CONF"   # Debian's file lacks a final newline
        printf '%s %s\n' "$key" "$value" >>"$CONF"
    fi
    CONF_CHANGED=1
}
CONF_CHANGED=0
set_key Out "$OUT_DIR"
set_key Label 2
set_key UserUMask 0022
mkdir -p "$OUT_DIR"
chmod 1777 "$OUT_DIR"
((CONF_CHANGED)) && say "configured $CONF: Out $OUT_DIR, Label 2, UserUMask 0022"

# --- cupsd ------------------------------------------------------------------------------------------
scheduler_up() { lpstat -r 2>/dev/null | grep -q "is running"; }
if ! scheduler_up; then
    mkdir -p /run/cups /var/spool/cups /var/cache/cups /var/log/cups
    started=0
    for _ in $(seq 1 150); do
        scheduler_up && break
        # a cupsd that is still shutting down does not answer: wait for it to go, then start ours
        if ((started == 0)) && ! pgrep -x cupsd >/dev/null; then
            say "starting /usr/sbin/cupsd"
            /usr/sbin/cupsd </dev/null || die "cupsd failed to start (see /var/log/cups/error_log)"
            started=1
        fi
        sleep 0.2
    done
    scheduler_up || die "cupsd did not come up within 30 s (see /var/log/cups/error_log)"
fi
say "scheduler is running"

# --- the queue ------------------------------------------------------------------------------------
if ! lpstat -v "$QUEUE" 2>/dev/null | grep -q "cups-pdf:/"; then
    PPD="$(lpinfo -m 2>/dev/null | awk '{print $1}' | grep -i 'cups-pdf' | grep -i '_opt\.ppd$' | head -n1 || true)"
    [[ -n "$PPD" ]] || PPD="$(lpinfo -m 2>/dev/null | awk '{print $1}' | grep -i 'cups-pdf' | head -n1 || true)"
    [[ -n "$PPD" ]] || die "no cups-pdf PPD in 'lpinfo -m'"
    say "creating queue $QUEUE (cups-pdf:/, $PPD)"
    lpadmin -p "$QUEUE" -v cups-pdf:/ -m "$PPD" -E -o printer-is-shared=false 2>&1 | grep -v "deprecated" || true
    lpstat -v "$QUEUE" 2>/dev/null | grep -q "cups-pdf:/" || die "lpadmin did not create queue $QUEUE"
fi
# CUPS turns jobs into PostScript for cups-pdf; the default renderer (Ghostscript) then re-embeds
# every font as Type 3 without a usable text mapping, so the PDF's text cannot be extracted.
# Poppler's pdftocairo keeps the text (checked with pdftotext, Chinese included).
if ! lpoptions -p "$QUEUE" 2>/dev/null | grep -q "pdftops-renderer=pdftocairo"; then
    command -v pdftocairo >/dev/null || die "pdftocairo missing (apt-get install poppler-utils)"
    lpadmin -p "$QUEUE" -o pdftops-renderer-default=pdftocairo
fi
cupsenable "$QUEUE"
cupsaccept "$QUEUE"
if ! lpstat -d 2>/dev/null | grep -q "destination:"; then
    lpadmin -d "$QUEUE"
    say "made $QUEUE the default destination"
fi
say "queue $QUEUE ready; PDFs go to $OUT_DIR"

# --- optional: print a test page and wait for the PDF -----------------------------------------
if ((VERIFY)); then
    REQ="$(printf 'clerk desk print check %s\n' "$(date -Is)" | lp -d "$QUEUE" -t printcheck)"
    JOB="${REQ#*"$QUEUE"-}"; JOB="${JOB%% *}"
    say "submitted job $JOB ($REQ)"
    for _ in $(seq 1 150); do
        PDF="$(find "$OUT_DIR" -maxdepth 1 -name "*-job_${JOB}.pdf" -print -quit)"
        [[ -n "$PDF" && -s "$PDF" ]] && break
        sleep 0.2
    done
    [[ -n "${PDF:-}" && -s "$PDF" ]] || die "job $JOB produced no PDF in $OUT_DIR within 30 s (see /var/log/cups/error_log)"
    say "printed: $PDF ($(stat -c %s "$PDF") bytes)"
    [[ "$(head -c5 "$PDF")" == "%PDF-" ]] || die "$PDF is not a PDF"
    if command -v pdfinfo >/dev/null; then
        say "$(pdfinfo "$PDF" | grep -E '^(Pages|Page size|Producer):' | tr -s ' ' | paste -sd ';' -)"
    fi
    if command -v pdftotext >/dev/null; then
        pdftotext "$PDF" - | grep -q "print check" || die "$PDF does not contain the printed text"
        say "pdftotext finds the printed text"
    fi
fi
