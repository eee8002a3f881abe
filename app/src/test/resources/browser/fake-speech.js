// A scripted SpeechRecognition for the browser tests, installed before Start is pressed. Its
// events have the real API's shape: within a run `results` is cumulative, a final result never
// changes again, and `resultIndex` is the first result that changed.
(() => {
  class FakeSpeechRecognition {
    constructor() {
      this.continuous = false;
      this.interimResults = false;
      this.lang = "";
      this.results = [];
      window.fakeSpeech.created++;
    }
    start() {
      this.results = [];
      window.fakeSpeech.current = this;
      window.fakeSpeech.lang = this.lang;
      setTimeout(() => this.onstart?.({}), 0);
    }
    stop() {
      if (window.fakeSpeech.current === this) window.fakeSpeech.current = null;
      setTimeout(() => this.onend?.({}), 0);
    }
    abort() {
      this.stop();
    }
  }
  window.fakeSpeech = {
    created: 0,
    current: null,
    lang: null,
    /** Replaces the run's non-final tail with `text`, final or not, and fires a result event. */
    say(text, isFinal) {
      const run = this.current;
      if (!run) throw new Error("the recognizer was not started");
      let index = run.results.findIndex((result) => !result.isFinal);
      if (index < 0) index = run.results.length;
      const result = [{ transcript: text, confidence: 0.9 }];
      result.isFinal = isFinal;
      run.results[index] = result;
      run.results.length = index + 1;
      run.onresult?.({ resultIndex: index, results: run.results });
    },
    done: false,
    played: 0,
    /**
     * Replays `count` utterances in `lang` as the engine `name` of speech-engines.js reports them,
     * one step every `stepMs`; an `end` step ends the run and waits for the page to start the next.
     * Sets `done` when finished.
     */
    async play(name, lang, count, stepMs) {
      this.done = false;
      this.played = 0;
      const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
      const { engines, utterances } = window.speechEngines;
      for (const step of engines[name](utterances(count, lang), lang)) {
        while (!this.current) await sleep(5);
        const run = this.current;
        if (step.end) {
          run.stop();
          while (!this.current || this.current === run) await sleep(5);
        } else {
          run.results = step.results.map(([transcript, isFinal]) => {
            const result = [{ transcript, confidence: 0.9 }];
            result.isFinal = isFinal;
            return result;
          });
          run.onresult?.({ resultIndex: step.resultIndex, results: run.results });
        }
        this.played++;
        await sleep(stepMs);
      }
      this.done = true;
    },
  };
  window.SpeechRecognition = FakeSpeechRecognition;
  window.webkitSpeechRecognition = FakeSpeechRecognition;
})();
