// The polling-station kiosk, enhanced. Every kiosk page works without this file: the
// server also forgets an idle voter, and typing a voter code always works.
import { initAll } from "/static/govuk-frontend/govuk-frontend.min.js";

initAll();

// The kiosk never writes to browser storage; make sure nothing else left anything.
if (document.body.hasAttribute("data-kiosk-start")) {
  try {
    window.sessionStorage.clear();
    window.localStorage.clear();
  } catch {
    // Storage may be switched off; then there is nothing to clear.
  }
}

// Back to the start after the station's idle time with nobody touching the screen,
// with a warning for the last fifth of it.
const idleSeconds = Number(document.body.dataset.idleSeconds || 0);
const resetForm = document.querySelector("[data-kiosk-reset]");
if (idleSeconds > 0 && resetForm) {
  const warning = document.querySelector("[data-idle-warning]");
  let warnTimer;
  let resetTimer;
  const restart = () => {
    window.clearTimeout(warnTimer);
    window.clearTimeout(resetTimer);
    if (warning) warning.hidden = true;
    warnTimer = window.setTimeout(() => {
      if (warning) warning.hidden = false;
    }, idleSeconds * 800);
    resetTimer = window.setTimeout(() => {
      resetForm.querySelector("[data-kiosk-reset-why]").value = "idle";
      resetForm.submit();
    }, idleSeconds * 1000);
  };
  for (const event of ["pointerdown", "keydown", "input", "scroll", "touchstart"]) {
    window.addEventListener(event, restart, { passive: true, capture: true });
  }
  restart();
}

// Scanning a letter's QR code with the tablet's camera. The QR code holds the code page's
// address with ?code=...; only the code is taken from it. Browsers that cannot read QR
// codes themselves (iPads, desktop Linux) get the ZXing reader, loaded from this site
// only when staff first press the button.
function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = resolve;
    script.onerror = reject;
    document.head.append(script);
  });
}

async function qrDetector(scan) {
  if ("BarcodeDetector" in window) return new window.BarcodeDetector({ formats: ["qr_code"] });
  if (!window.BarcodeDetectionAPI) await loadScript(scan.dataset.reader);
  const reader = window.BarcodeDetectionAPI;
  const wasm = new URL(scan.dataset.readerWasm, window.location.href).href;
  reader.setZXingModuleOverrides({ locateFile: (name, prefix) => (name.endsWith(".wasm") ? wasm : prefix + name) });
  return new reader.BarcodeDetector({ formats: ["qr_code"] });
}

const scan = document.querySelector("[data-qr-scan]");
const codeInput = document.querySelector("input[name=code]");
if (scan && codeInput && navigator.mediaDevices?.getUserMedia && window.WebAssembly) {
  scan.hidden = false;
  const video = scan.querySelector("[data-qr-scan-video]");
  const status = scan.querySelector("[data-qr-scan-status]");
  scan.querySelector("[data-qr-scan-start]").addEventListener("click", async () => {
    let stream;
    let detector;
    try {
      detector = await qrDetector(scan);
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    } catch {
      status.textContent = scan.dataset.noCamera || "";
      return;
    }
    status.textContent = scan.dataset.looking || "";
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    const stop = () => {
      stream.getTracks().forEach((track) => track.stop());
      video.srcObject = null;
      video.hidden = true;
    };
    const look = async () => {
      const found = await detector.detect(video).catch(() => []);
      if (found.length) {
        const text = found[0].rawValue;
        let code = text;
        try {
          code = new URL(text).searchParams.get("code") || text;
        } catch {
          // Not an address: the QR code holds the code itself.
        }
        codeInput.value = code;
        stop();
        codeInput.form.requestSubmit();
        return;
      }
      window.setTimeout(look, 250);
    };
    look();
  });
}
