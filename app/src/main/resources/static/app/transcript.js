/**
 * transcript.js — the live-transcript app's message format and its two halves, as pure logic (no
 * DOM), shared by /app/phone and /app/pc and tested under Node (server/src/test/js).
 *
 * The phone sends each segment to its own user as one Switchboard message:
 *   { "type": "transcript", "kind": "interim" | "final", "id": "<segment id>", "text": "…", "lang": "zh-CN" }
 * An interim segment is replaced by the next message with the same id; a final one is settled. Ids
 * are "<page>-<n>": n counts this page's segments (spoken or typed), so an id is never reused,
 * whatever the speech engine does with its result indexes.
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

/** `text` without `prefix` at its start, comparing without whitespace; null if it does not start so. */
export function afterPrefix(text, prefix) {
  let t = 0;
  for (const ch of prefix) {
    if (/\s/.test(ch)) continue;
    while (t < text.length && /\s/.test(text[t])) t++;
    if (text[t] !== ch) return null;
    t++;
  }
  return text.slice(t).trim();
}

/**
 * The phone side: turns SpeechRecognition `result` events into segments, whichever engine makes
 * them. Desktop Chrome keeps `event.results` cumulative within a run and moves `resultIndex` to the
 * first result that changed; other engines do not keep to that, and the segmenter copes with each:
 *  - a new utterance reported at result index 0 again within one run (the list started over);
 *  - a final reported twice (Android Chrome): a final equal to the one sent just before is dropped;
 *  - continuous recognition ending after each utterance (the page starts a new run);
 *  - earlier words repeated at the start of a later result (phones' Chrome and Safari): what this
 *    run, or the last final, already said is cut off the front.
 * So every result is read from index 0 (not from `resultIndex`), and a final is sent when its
 * index holds text not seen there before. Finals are published at once; the non-final tail is one
 * interim segment, published at most every `interval` ms (the latest text wins; the final of the
 * same segment cancels a pending interim). A user who says the very same phrase twice in a row
 * gets it once: the price of never doubling an engine's repeat.
 */
export class Segmenter {
  #publish;
  #interval;
  #now;
  #page;
  #next = 1; // the number of the open segment: the one the interim shows and the next final takes
  #seenFinals = []; // per result index in this run: the final text seen there
  #runText = ""; // what the finals sent in this run said
  #lastFinal = ""; // the last final sent, in any run
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
    this.#seenFinals = [];
    this.#runText = "";
  }

  /** Handles a SpeechRecognition `result` event. */
  onResult(event, lang) {
    const results = event.results;
    if (results.length < this.#seenFinals.length) this.#seenFinals.length = results.length; // started over
    let interim = "";
    for (let i = 0; i < results.length; i++) {
      const text = results[i][0]?.transcript ?? "";
      if (!results[i].isFinal) {
        if (i < this.#seenFinals.length) this.#seenFinals.length = i; // a new utterance where finals were
        interim += text;
      } else if (this.#seenFinals[i] !== text) {
        if (i < this.#seenFinals.length) this.#seenFinals.length = i;
        this.#seenFinals[i] = text;
        this.#spokenFinal(text, lang);
      }
    }
    const fresh = this.#unsaid(interim);
    if (fresh) this.#queueInterim(this.#openId(), fresh, lang);
    else if (interim) this.#clearShown(lang); // only words already sent: nothing to show
  }

  /** The run ended: drop a pending interim and clear the receiver's interim line. */
  endRun(lang) {
    this.#cancelPending();
    this.#clearShown(lang);
  }

  /** Typed text: one final segment. */
  typed(text, lang) {
    this.final(text, lang);
  }

  /** Publishes `text` as the open segment's final. */
  final(text, lang) {
    const id = this.#openId();
    this.#next++;
    if (this.#pending?.id === id) this.#cancelPending();
    if (this.#shown === id) this.#shown = null;
    this.#publish({ type: TYPE, kind: "final", id, text, lang });
  }

  #openId() {
    return `${this.#page}-${this.#next}`;
  }

  #spokenFinal(text, lang) {
    const fresh = this.#unsaid(text);
    if (!fresh || fresh === this.#lastFinal) return; // nothing new, or the engine repeating itself
    this.#runText += ` ${fresh}`;
    this.#lastFinal = fresh;
    this.final(fresh, lang);
  }

  /** `text` without what this run or the last final already said at its start. */
  #unsaid(text) {
    const trimmed = text.trim();
    for (const said of [this.#runText, this.#lastFinal]) {
      const rest = said.trim() ? afterPrefix(trimmed, said) : null;
      if (rest !== null) return rest;
    }
    return trimmed;
  }

  #clearShown(lang) {
    if (this.#shown === null) return;
    const id = this.#shown;
    this.#shown = null;
    this.#cancelPending();
    this.#publish({ type: TYPE, kind: "interim", id, text: "", lang });
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
