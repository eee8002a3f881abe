// The live-transcript app's pure logic (static/app/transcript.js): how the phone turns
// SpeechRecognition events into segments, and how the PC assembles them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Segmenter, Transcript } from "../../main/resources/static/app/transcript.js";

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

test("finals are sent at once, each result index once, with the run in the id", () => {
  const { sent, segmenter } = recorder();
  segmenter.startRun();
  const results = [result("hello", true)];
  segmenter.onResult({ resultIndex: 0, results }, "en-US");
  results.push(result("world", true));
  segmenter.onResult({ resultIndex: 0, results }, "en-US"); // resultIndex may point before unchanged finals
  assert.deepEqual(sent, [
    { type: "transcript", kind: "final", id: "p-1-0", text: "hello", lang: "en-US" },
    { type: "transcript", kind: "final", id: "p-1-1", text: "world", lang: "en-US" },
  ]);
  segmenter.startRun();
  segmenter.onResult({ resultIndex: 0, results: [result("again", true)] }, "en-US");
  assert.equal(sent.at(-1).id, "p-2-0");
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
  assert.deepEqual(sent.map((m) => [m.kind, m.id, m.text]), [["interim", "p-1-0", "he"], ["interim", "p-1-0", "hell"]]);
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
    ["interim", "p-1-0", "how"],
    ["final", "p-1-0", "how are you"],
    ["interim", "p-1-1", "I am fine"],
  ]);
});

test("the end of a run clears the receiver's interim line", () => {
  const { sent, segmenter } = recorder();
  segmenter.startRun();
  segmenter.onResult({ resultIndex: 0, results: [result("unfinished", false)] }, "zh-CN");
  segmenter.endRun("zh-CN");
  assert.deepEqual(sent.at(-1), { type: "transcript", kind: "interim", id: "p-1-0", text: "", lang: "zh-CN" });
  segmenter.endRun("zh-CN");
  assert.equal(sent.length, 2, "nothing more to clear");
});

test("typed text is one final segment each", () => {
  const { sent, segmenter } = recorder();
  segmenter.typed("one", "en-US");
  segmenter.typed("two", "en-US");
  assert.deepEqual(sent.map((m) => [m.kind, m.id, m.text]), [["final", "p-t1", "one"], ["final", "p-t2", "two"]]);
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
