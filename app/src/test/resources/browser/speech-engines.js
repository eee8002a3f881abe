// Scripted speech engines: how real SpeechRecognition implementations report the same speech, each
// replayed from what is documented or reported about it. Shared by the Node tests of the segmenter
// (app/src/test/js) and the browser tests (run in the page after fake-speech.js).
//
// An engine turns utterances (each a list of words, or of chunks for Chinese) into steps:
//   { resultIndex, results: [[transcript, isFinal], ...] }   a `result` event of the current run
//   { end: true }                                            the run ends (the page starts another)
// The expected transcript is the utterances themselves, each once, in order.
(() => {
  const joinerOf = (lang) => (/^(zh|ja|ko)/.test(lang) ? "" : " ");

  /** Each utterance's growing prefixes, the last one whole: what interim results show as it is spoken. */
  function* growing(words, join) {
    for (let n = 1; n < words.length; n++) yield [join(words.slice(0, n)), false];
    yield [join(words), true];
  }

  const engines = {
    // Desktop Chrome: within one run `results` is cumulative, a final never changes, `resultIndex`
    // is the first result that changed, and a later result starts with a space (in English).
    // Source: the Web Speech API spec (SpeechRecognitionEvent.resultIndex) and MDN's examples.
    *desktopChrome(utterances, lang) {
      const j = joinerOf(lang);
      const finals = [];
      for (const words of utterances) {
        const lead = finals.length && j ? " " : "";
        for (const [text, isFinal] of growing(words, (w) => w.join(j))) {
          yield { resultIndex: finals.length, results: [...finals.map((f) => [f, true]), [lead + text, isFinal]] };
        }
        finals.push(lead + words.join(j));
      }
    },

    // Each new utterance at result index 0 again within one run: `results` holds only the current
    // utterance. Source: the held-out Chromium test in issue 13 (the phone page dropped every final
    // after the first); Chrome on Android behaves so when it restarts its recognizer inside a run.
    *indexZeroAgain(utterances, lang) {
      const j = joinerOf(lang);
      for (const words of utterances) {
        for (const [text, isFinal] of growing(words, (w) => w.join(j))) {
          yield { resultIndex: 0, results: [[text, isFinal]] };
        }
      }
    },

    // Android Chrome returns each final phrase twice: the final, then the same text again as a
    // second final result. Source: the reports cited in issue 13 (for one,
    // stackoverflow.com/questions/35112561: duplicated phrases on Android).
    *androidRepeatedFinals(utterances, lang) {
      const j = joinerOf(lang);
      const finals = [];
      for (const words of utterances) {
        for (const [text, isFinal] of growing(words, (w) => w.join(j))) {
          yield { resultIndex: finals.length, results: [...finals.map((f) => [f, true]), [text, isFinal]] };
        }
        finals.push(words.join(j), words.join(j));
        yield { resultIndex: finals.length - 1, results: finals.map((f) => [f, true]) };
      }
    },

    // Android Chrome ends continuous recognition after each utterance: one final at index 0, then
    // `end` (the page starts a new run). Source: the reports cited in issue 13 (Android Chrome does
    // not keep `continuous` recognition going).
    *endsEachUtterance(utterances, lang) {
      const j = joinerOf(lang);
      for (const words of utterances) {
        for (const [text, isFinal] of growing(words, (w) => w.join(j))) {
          yield { resultIndex: 0, results: [[text, isFinal]] };
        }
        yield { end: true };
      }
    },

    // Phones' Chrome and Safari repeat earlier words: each later result of a run starts with
    // everything said before in that run ("hello", then "hello how are you"). Source: the reports
    // cited in issue 13 (for one, stackoverflow.com/questions/35112561).
    *repeatsEarlierWords(utterances, lang) {
      const j = joinerOf(lang);
      const said = [];
      const finals = [];
      for (const words of utterances) {
        for (let n = 1; n <= words.length; n++) {
          const text = [...said, ...words.slice(0, n)].join(j);
          yield { resultIndex: finals.length, results: [...finals.map((f) => [f, true]), [text, n === words.length]] };
        }
        said.push(...words);
        finals.push(said.join(j));
      }
    },
  };

  /** `count` distinct utterances in `lang` ("en-US" or "zh-CN"), none starting with another. */
  function utterances(count, lang) {
    const tails = /^zh/.test(lang)
      ? [["话说", "得很", "清楚"], ["我们", "开始吧"], ["谢谢", "大家", "的耐心"]]
      : [["says", "the quick", "brown fox"], ["is", "spoken", "while walking"], ["asks", "a question"]];
    const head = (i) => (/^zh/.test(lang) ? `第${i + 1}句` : `segment ${i + 1}`);
    return Array.from({ length: count }, (_, i) => [head(i), ...tails[i % tails.length]]);
  }

  globalThis.speechEngines = { engines, utterances, joinerOf };
})();
