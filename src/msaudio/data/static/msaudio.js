/* msaudio: player controls, seeking and the following transcript on episode pages,
   and the "Copy the address" button on the show page.

   Progressive enhancement only: without this script every page is complete (the
   audio element, downloads, chapter links into the MP3 with a #t= fragment and
   the whole transcript are in the HTML). No network requests, no dependencies. */
(function () {
  "use strict";

  var SPEED_KEY = "msaudio.playbackRate";

  function reveal() {
    document.querySelectorAll("[data-enhanced]").forEach(function (element) {
      element.hidden = false;
    });
  }

  /* Index of the last number in the sorted list that is <= t, or -1. */
  function lastAtOrBefore(list, t) {
    var low = 0;
    var high = list.length - 1;
    var found = -1;
    while (low <= high) {
      var middle = (low + high) >> 1;
      if (list[middle] <= t + 0.001) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found;
  }

  function inView(element) {
    var box = element.getBoundingClientRect();
    return box.bottom > 0 && box.top < (window.innerHeight || document.documentElement.clientHeight);
  }

  function modified(event) {
    return event.altKey || event.ctrlKey || event.metaKey || event.shiftKey;
  }

  function setupCopy() {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      var source = document.getElementById(button.getAttribute("data-copy"));
      var status = button.parentNode.querySelector("[role=status]");
      if (!source) {
        return;
      }
      function say(message) {
        if (status) {
          status.textContent = message;
        }
      }
      function selectInstead() {
        var selection = window.getSelection();
        var range = document.createRange();
        range.selectNodeContents(source);
        selection.removeAllRanges();
        selection.addRange(range);
        var copied = false;
        try {
          copied = document.execCommand("copy");
        } catch (error) {
          copied = false;
        }
        say(copied
          ? "Copied. Paste it into your podcast app."
          : "The address is selected: press Control and C (Command and C on a Mac) to copy it.");
      }
      button.addEventListener("click", function () {
        var text = source.textContent.trim();
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(function () {
            say("Copied. Paste it into your podcast app.");
          }, selectInstead);
        } else {
          selectInstead();
        }
      });
    });
  }

  function setupPlayer(audio) {
    var transcript = document.getElementById("transcript");
    var cues = Array.prototype.slice.call(document.querySelectorAll("#transcript .cue"));
    var cueStarts = cues.map(function (cue) { return parseFloat(cue.dataset.start); });
    var chapters = Array.prototype.slice.call(document.querySelectorAll("a.chapter[data-start]"));
    var chapterStarts = chapters.map(function (link) { return parseFloat(link.dataset.start); });
    var speedButtons = Array.prototype.slice.call(document.querySelectorAll("button[data-rate]"));
    var playButton = document.querySelector("button[data-action=play]");
    var reduceMotion = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : null;
    var currentCue = null;
    var currentChapter = null;
    var tabStop = null;

    function play() {
      var started = audio.play();
      if (started && started.catch) {
        started.catch(function () { /* the browser refused; the native controls still work */ });
      }
    }

    function seek(seconds, andPlay) {
      audio.currentTime = Math.max(0, seconds);
      follow(seconds, false);
      if (andPlay) {
        play();
      }
    }

    /* The roving tab stop: one sentence of the transcript is in the Tab order. */
    function setTabStop(cue) {
      if (tabStop === cue) {
        return;
      }
      if (tabStop) {
        tabStop.tabIndex = -1;
      }
      cue.tabIndex = 0;
      tabStop = cue;
    }

    function follow(t, scroll) {
      var cue = cues[lastAtOrBefore(cueStarts, t)] || null;
      if (cue !== currentCue) {
        var wasFollowing = currentCue !== null && inView(currentCue);
        if (currentCue) {
          currentCue.classList.remove("is-current");
          currentCue.removeAttribute("aria-current");
        }
        if (cue) {
          cue.classList.add("is-current");
          cue.setAttribute("aria-current", "true");
          if (!transcript.contains(document.activeElement)) {
            setTabStop(cue);
          }
          /* Scroll only for a reader who was following along, never with reduced
             motion, and never by moving the focus. */
          if (scroll && wasFollowing && !inView(cue) && !(reduceMotion && reduceMotion.matches)) {
            cue.scrollIntoView({ block: "center", behavior: "smooth" });
          }
        }
        currentCue = cue;
      }
      var chapter = chapters[lastAtOrBefore(chapterStarts, t)] || chapters[0] || null;
      if (chapter !== currentChapter) {
        if (currentChapter) {
          currentChapter.classList.remove("is-current");
          currentChapter.removeAttribute("aria-current");
        }
        if (chapter) {
          chapter.classList.add("is-current");
          chapter.setAttribute("aria-current", "true");
        }
        currentChapter = chapter;
      }
    }

    cues.forEach(function (cue, index) {
      cue.setAttribute("role", "button");
      cue.tabIndex = -1;
      if (index === 0) {
        setTabStop(cue);
      }
    });

    if (transcript) {
      transcript.addEventListener("click", function (event) {
        var cue = event.target.closest(".cue");
        var selection = window.getSelection();
        if (!cue || (selection && !selection.isCollapsed)) {
          return; /* a reader selecting text to copy is not asking to play */
        }
        setTabStop(cue);
        seek(parseFloat(cue.dataset.start), true);
      });
      transcript.addEventListener("focusin", function (event) {
        var cue = event.target.closest(".cue");
        if (cue) {
          setTabStop(cue);
        }
      });
      transcript.addEventListener("keydown", function (event) {
        var cue = event.target.closest(".cue");
        if (!cue || event.altKey || event.ctrlKey || event.metaKey) {
          return;
        }
        var index = cues.indexOf(cue);
        var target = null;
        switch (event.key) {
          case "ArrowDown":
          case "ArrowRight":
            target = cues[index + 1];
            break;
          case "ArrowUp":
          case "ArrowLeft":
            target = cues[index - 1];
            break;
          case "Home":
            target = cues[0];
            break;
          case "End":
            target = cues[cues.length - 1];
            break;
          case "Enter":
          case " ":
            event.preventDefault();
            seek(parseFloat(cue.dataset.start), true);
            return;
          default:
            return;
        }
        event.preventDefault();
        if (target) {
          setTabStop(target);
          target.focus();
        }
      });
    }

    chapters.forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (event.button !== 0 || modified(event)) {
          return; /* let "open in new tab" and the like go to the MP3 */
        }
        event.preventDefault();
        seek(parseFloat(link.dataset.start), true);
      });
    });

    function showState() {
      if (playButton) {
        playButton.textContent = audio.paused ? "Play" : "Pause";
      }
    }

    if (playButton) {
      playButton.addEventListener("click", function () {
        if (audio.paused) {
          play();
        } else {
          audio.pause();
        }
      });
    }
    document.querySelectorAll("button[data-action=back], button[data-action=forward]").forEach(
      function (button) {
        var step = button.getAttribute("data-action") === "back" ? -15 : 15;
        button.addEventListener("click", function () {
          var end = isFinite(audio.duration) ? audio.duration : Infinity;
          seek(Math.min(Math.max(audio.currentTime + step, 0), end), false);
        });
      }
    );

    function showRate() {
      speedButtons.forEach(function (button) {
        var pressed = Math.abs(parseFloat(button.dataset.rate) - audio.playbackRate) < 0.001;
        button.setAttribute("aria-pressed", pressed ? "true" : "false");
      });
    }

    function setRate(rate, remember) {
      audio.defaultPlaybackRate = rate;
      audio.playbackRate = rate;
      if (remember) {
        try {
          window.localStorage.setItem(SPEED_KEY, String(rate));
        } catch (error) { /* storage may be off; the speed still applies to this page */ }
      }
      showRate();
    }

    speedButtons.forEach(function (button) {
      button.addEventListener("click", function () {
        setRate(parseFloat(button.dataset.rate), true);
      });
    });

    try {
      var saved = parseFloat(window.localStorage.getItem(SPEED_KEY));
      if (speedButtons.some(function (b) { return parseFloat(b.dataset.rate) === saved; })) {
        setRate(saved, false);
      }
    } catch (error) { /* no storage: start at normal speed */ }

    audio.addEventListener("timeupdate", function () { follow(audio.currentTime, !audio.paused); });
    audio.addEventListener("seeked", function () { follow(audio.currentTime, false); });
    audio.addEventListener("play", showState);
    audio.addEventListener("pause", showState);
    audio.addEventListener("ended", showState);
    audio.addEventListener("ratechange", showRate);
    showState();
    showRate();
  }

  function start() {
    reveal();
    setupCopy();
    var audio = document.getElementById("player");
    if (audio) {
      setupPlayer(audio);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
