// The live-transcript app's pure logic (static/app/transcript.js): how the phone turns
// SpeechRecognition events into segments, and how the PC assembles them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Segmenter, Transcript, afterPrefix } from "../../main/resources/static/app/transcript.js";

await import("../resources/browser/speech-engines.js"); // defines globalThis.speechEngines
const { engines, utterances, joinerOf } = globalThis.speechEngines;

/** A SpeechRecognition result, shaped like the real API's: an array of alternatives with isFinal. */
function result(transcript, isFinal) {
  const alternatives = [{ transcript, confidence: 0.9 }];
  alternatives.isFinal = isFinal;
  return alternatives;
}

function recorder(now = { t: 0 }) {
  const sent = [];
  const segmenter = new Segmenter((m) => sent.push(m), { interval: 150, now: () => now.t, page: "p" });
  return { sent, segmenter, now };
}

test("finals are sent at once, each once, numbered by the page across runs", () => {
  const { sent, segmenter } = recorder();
  segmenter.startRun();
  const results = [result("hello", true)];
  segmenter.onResult({ resultIndex: 0, results }, "en-US");
  results.push(result("world", true));
  segmenter.onResult({ resultIndex: 0, results }, "en-US"); // resultIndex may point before unchanged finals
  assert.deepEqual(sent, [
    { type: "transcript", kind: "final", id: "p-1", text: "hello", lang: "en-US" },
    { type: "transcript", kind: "final", id: "p-2", text: "world", lang: "en-US" },
  ]);
  segmenter.startRun();
  segmenter.onResult({ resultIndex: 0, results: [result("again", true)] }, "en-US");
  assert.equal(sent.at(-1).id, "p-3");
});

/** Plays an engine's steps into a segmenter; returns the PC's transcript and every message sent. */
function replay(steps, lang) {
  const sent = [];
  const segmenter = new Segmenter((m) => sent.push(m), { interval: 0, now: () => 0, page: "p" });
  segmenter.startRun();
  for (const step of steps) {
    if (step.end) {
      segmenter.endRun(lang);
      segmenter.startRun();
    } else {
      segmenter.onResult({ resultIndex: step.resultIndex, results: step.results.map(([t, f]) => result(t, f)) }, lang);
    }
  }
  segmenter.endRun(lang);
  const transcript = new Transcript();
  sent.forEach((m) => transcript.apply(m));
  return { transcript, sent };
}

for (const name of Object.keys(engines)) {
  for (const lang of ["en-US", "zh-CN"]) {
    test(`the segmenter gets the exact transcript from the ${name} engine (${lang})`, () => {
      const said = utterances(60, lang);
      const { transcript, sent } = replay(engines[name](said, lang), lang);
      assert.deepEqual(transcript.finals.map((f) => f.text), said.map((words) => words.join(joinerOf(lang))));
      const finalIds = sent.filter((m) => m.kind === "final").map((m) => m.id);
      assert.equal(new Set(finalIds).size, finalIds.length, "no segment id twice");
      assert.equal(transcript.interim, null, "no interim line left over");
      for (const m of sent.filter((x) => x.kind === "interim" && x.text)) {
        assert.ok(said.some((words) => words.join(joinerOf(lang)).startsWith(m.text)), `interim "${m.text}" is the start of one utterance`);
      }
    });
  }
}

test("afterPrefix compares without whitespace and says when the prefix is not there", () => {
  assert.equal(afterPrefix("hello world how are you", " hello world"), "how are you");
  assert.equal(afterPrefix("你好世界第二句", " 你好 世界"), "第二句");
  assert.equal(afterPrefix("hello", "hello"), "");
  assert.equal(afterPrefix("help me", "hello"), null);
  assert.equal(afterPrefix("he", "hello"), null);
});

test("an engine's repeat is dropped, a typed repeat is not", () => {
  const { sent, segmenter } = recorder();
  segmenter.startRun();
  segmenter.onResult({ resultIndex: 0, results: [result("yes", true)] }, "en-US");
  segmenter.onResult({ resultIndex: 1, results: [result("yes", true), result("yes", true)] }, "en-US");
  segmenter.typed("yes", "en-US");
  assert.deepEqual(sent.map((m) => [m.id, m.text]), [["p-1", "yes"], ["p-2", "yes"]]);
});

test("interim results are throttled to one per interval; the latest text wins", async () => {
  const { sent, segmenter, now } = recorder();
  segmenter.startRun();
  segmenter.onResult({ resultIndex: 0, results: [result("he", false)] });
  now.t = 50;
  segmenter.onResult({ resultIndex: 0, results: [result("hel", false)] });
  now.t = 100;
  segmenter.onResult({ resultIndex: 0, results: [result("hell", false)] });
  assert.deepEqual(sent.map((m) => m.text), ["he"]);
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.deepEqual(sent.map((m) => [m.kind, m.id, m.text]), [["interim", "p-1", "he"], ["interim", "p-1", "hell"]]);
});

test("a final cancels the pending interim of the same segment; the non-final tail is one interim", async () => {
  const { sent, segmenter, now } = recorder();
  segmenter.startRun();
  segmenter.onResult({ resultIndex: 0, results: [result("how", false)] });
  now.t = 10;
  segmenter.onResult({ resultIndex: 0, results: [result("how are", false)] }); // pending
  segmenter.onResult({ resultIndex: 0, results: [result("how are you", true), result("I am", false), result(" fine", false)] });
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.deepEqual(sent.map((m) => [m.kind, m.id, m.text]), [
    ["interim", "p-1", "how"],
    ["final", "p-1", "how are you"],
    ["interim", "p-2", "I am fine"],
  ]);
});

test("the end of a run clears the receiver's interim line", () => {
  const { sent, segmenter } = recorder();
  segmenter.startRun();
  segmenter.onResult({ resultIndex: 0, results: [result("unfinished", false)] }, "zh-CN");
  segmenter.endRun("zh-CN");
  assert.deepEqual(sent.at(-1), { type: "transcript", kind: "interim", id: "p-1", text: "", lang: "zh-CN" });
  segmenter.endRun("zh-CN");
  assert.equal(sent.length, 2, "nothing more to clear");
});

test("typed text is one final segment each", () => {
  const { sent, segmenter } = recorder();
  segmenter.typed("one", "en-US");
  segmenter.typed("two", "en-US");
  assert.deepEqual(sent.map((m) => [m.kind, m.id, m.text]), [["final", "p-1", "one"], ["final", "p-2", "two"]]);
});

test("the PC appends finals once, in order, and replaces the interim line", () => {
  const transcript = new Transcript();
  const message = (kind, id, text) => ({ type: "transcript", kind, id, text, lang: "en-US" });
  assert.ok(transcript.apply(message("interim", "a", "hel")));
  assert.deepEqual(transcript.interim, { id: "a", text: "hel" });
  transcript.apply(message("interim", "a", "hello wor"));
  assert.equal(transcript.interim.text, "hello wor");
  transcript.apply(message("final", "a", " hello world "));
  assert.equal(transcript.interim, null);
  assert.equal(transcript.apply(message("final", "a", "hello world")), false, "a repeat");
  assert.equal(transcript.apply(message("interim", "a", "late")), false, "an interim after its final");
  transcript.apply(message("interim", "b", "how"));
  transcript.apply(message("final", "c", "typed"));
  assert.equal(transcript.interim.text, "how", "a final of another segment keeps the interim");
  transcript.apply(message("interim", "b", ""));
  assert.equal(transcript.interim, null);
  assert.equal(transcript.text(), "hello world\ntyped");
});

test("the PC ignores other messages", () => {
  const transcript = new Transcript();
  for (const other of [null, "text", { type: "chat", text: "hi" }, { type: "transcript", kind: "final", id: 1, text: "x" },
    { type: "transcript", kind: "shout", id: "x", text: "x" }]) {
    assert.equal(transcript.apply(other), false);
  }
  assert.deepEqual(transcript.finals, []);
});
