import { ref, watch } from 'vue';

const MUTE_KEY = 'desk.muted';

/** The header's 静音 toggle, remembered in this browser. */
export const muted = ref(readMuted());
watch(muted, (v) => {
  try {
    localStorage.setItem(MUTE_KEY, v ? '1' : '0');
  } catch {
    /* private mode: the toggle still works for this page */
  }
});

function readMuted(): boolean {
  try {
    return localStorage.getItem(MUTE_KEY) === '1';
  } catch {
    return false;
  }
}

let ctx: AudioContext | null = null;
let lastBeep = 0;

/**
 * A short two-tone beep from an oscillator (no sound file to ship). Browsers start audio only
 * after a user gesture; the console has had clicks by the time anything arrives (login, accept).
 * Beeps closer than 400 ms apart are merged: a burst of messages is one sound.
 */
export function beep(): void {
  if (muted.value) return;
  const now = Date.now();
  if (now - lastBeep < 400) return;
  lastBeep = now;
  try {
    ctx ??= new AudioContext();
    if (ctx.state === 'suspended') void ctx.resume();
    const t = ctx.currentTime;
    const gain = ctx.createGain();
    gain.connect(ctx.destination);
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.2, t + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.3);
    const osc = ctx.createOscillator();
    osc.type = 'sine';
    osc.frequency.setValueAtTime(880, t);
    osc.frequency.setValueAtTime(1175, t + 0.12);
    osc.connect(gain);
    osc.start(t);
    osc.stop(t + 0.32);
  } catch {
    /* no audio device: the title badge still tells */
  }
}
