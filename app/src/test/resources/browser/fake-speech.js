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
  };
  window.SpeechRecognition = FakeSpeechRecognition;
  window.webkitSpeechRecognition = FakeSpeechRecognition;
})();
