/**
 * transcript.js — the live-transcript app's message format and its two halves, as pure logic (no
 * DOM), shared by /app/phone and /app/pc and tested under Node (server/src/test/js).
 *
 * The phone sends each segment to its own user as one Switchboard message:
 *   { "type": "transcript", "kind": "interim" | "final", "id": "<segment id>", "text": "…", "lang": "zh-CN" }
 * An interim segment is replaced by the next message with the same id; a final one is settled. Ids
 * are unique per phone page: "<page>-<run>-<result index>" for speech, "<page>-t<n>" for typed text.
 */

export const TYPE = "transcript";

/** The PC side: final segments in arrival (seq) order, each once, and the one current interim line. */
export class Transcript {
  finals = [];     // [{ id, text, lang }]
  interim = null;  // { id, text } or null
  #settled = new Set();

  /** Applies one message; returns whether the transcript changed. Other messages are ignored. */
  apply(message) {
    if (!message || message.type !== TYPE || typeof message.id !== "string" || typeof message.text !== "string") {
      return false;
    }
    if (this.#settled.has(message.id)) return false; // a repeat, or an interim overtaken by its final
    if (message.kind === "final") {
      this.#settled.add(message.id);
      const text = message.text.trim();
      if (text) this.finals.push({ id: message.id, text, lang: message.lang });
      if (this.interim?.id === message.id) this.interim = null;
      return true;
    }
    if (message.kind === "interim") {
      this.interim = message.text ? { id: message.id, text: message.text } : null;
      return true;
    }
    return false;
  }

  /** The final segments as plain text, one per line. */
  text() {
    return this.finals.map((segment) => segment.text).join("\n");
  }
}

/**
 * The phone side: turns SpeechRecognition `result` events into segments. Within one recognition
 * run `event.results` is cumulative and `event.resultIndex` is the first result that changed; a
 * result that became final never changes again. Finals are published at once (each index once);
 * the non-final tail is one interim segment, published at most every `interval` ms (the latest text
 * wins; a final for the same id cancels a pending interim).
 */
export class Segmenter {
  #publish;
  #interval;
  #now;
  #page;
  #run = 0;
  #typed = 0;
  #sentFinal = new Set();
  #pending = null;
  #shown = null; // the id of the interim the receiver is showing
  #timer = null;
  #lastInterimAt = -Infinity;

  /**
   * @param publish (message) => void, called with each message to send
   * @param options { interval = 150, now = () => performance.now(), page = a random id for this page }
   */
  constructor(publish, { interval = 150, now = () => performance.now(), page } = {}) {
    this.#publish = publish;
    this.#interval = interval;
    this.#now = now;
    this.#page = page ?? Math.random().toString(36).slice(2, 8);
  }

  /** A new recognition run: result indexes start over. */
  startRun() {
    this.#run++;
    this.#sentFinal.clear();
  }

  /** Handles a SpeechRecognition `result` event. */
  onResult(event, lang) {
    let interim = "";
    let interimId = null;
    for (let i = event.resultIndex; i < event.results.length; i++) {
      const result = event.results[i];
      const id = `${this.#page}-${this.#run}-${i}`;
      if (result.isFinal) {
        if (!this.#sentFinal.has(i)) {
          this.#sentFinal.add(i);
          this.final(id, result[0].transcript, lang);
        }
      } else {
        interimId ??= id;
        interim += result[0].transcript;
      }
    }
    if (interimId !== null) this.#queueInterim(interimId, interim, lang);
  }

  /** The run ended: drop a pending interim and clear the receiver's interim line. */
  endRun(lang) {
    this.#cancelPending();
    if (this.#shown !== null) {
      const id = this.#shown;
      this.#shown = null;
      this.#publish({ type: TYPE, kind: "interim", id, text: "", lang });
    }
  }

  /** Typed text: one final segment. */
  typed(text, lang) {
    this.final(`${this.#page}-t${++this.#typed}`, text, lang);
  }

  final(id, text, lang) {
    if (this.#pending?.id === id) this.#cancelPending();
    if (this.#shown === id) this.#shown = null;
    this.#publish({ type: TYPE, kind: "final", id, text, lang });
  }

  #queueInterim(id, text, lang) {
    this.#pending = { id, text, lang };
    const wait = this.#lastInterimAt + this.#interval - this.#now();
    if (wait <= 0) this.#flush();
    else this.#timer ??= setTimeout(() => this.#flush(), wait);
  }

  #flush() {
    clearTimeout(this.#timer);
    this.#timer = null;
    const pending = this.#pending;
    if (!pending) return;
    this.#pending = null;
    this.#lastInterimAt = this.#now();
    this.#shown = pending.id;
    this.#publish({ type: TYPE, kind: "interim", id: pending.id, text: pending.text, lang: pending.lang });
  }

  #cancelPending() {
    clearTimeout(this.#timer);
    this.#timer = null;
    this.#pending = null;
  }
}
