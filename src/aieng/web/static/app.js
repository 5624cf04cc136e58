// aieng's pages: plain JavaScript over the JSON API. Every state-changing request carries the CSRF token.
(function () {
  "use strict";
  const csrf = document.querySelector('meta[name="csrf-token"]').content;

  async function api(method, url, body) {
    const response = await fetch(url, {
      method,
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let data = {};
    try { data = await response.json(); } catch (e) { data = { error: response.statusText }; }
    return { status: response.status, data };
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  }

  function fmt(x) { return Number(x).toPrecision(4).replace(/\.?0+$/, "").replace(/\.?0+e/, "e"); }

  function renderReport(box, payload) {
    const report = payload.report;
    box.replaceChildren();
    box.hidden = false;
    box.className = "card report " + (report.passed ? "passed" : "failed");
    box.append(el("p", { class: "status", id: "report-status" }, report.message, el("span", { class: "muted" }, ` (${report.duration.toFixed(2)} s)`)));
    if (report.stdout && report.stdout.trim()) box.append(el("pre", { class: "stdout" }, "printed while importing: " + report.stdout));
    const list = el("ul", { class: "checks" });
    let explained = 0;
    for (const check of report.checks) {
      const ok = check.outcome === "passed" || check.outcome === "skipped";
      const item = el("li", { class: ok ? "ok" : "bad" }, el("span", { class: "mark" }, ok ? "✓" : "✗"), " ", check.doc);
      for (const s of check.scores || []) {
        const rel = s.higher_is_better ? "≥" : "≤";
        const ref = s.reference === null || s.reference === undefined ? "" : `, reference solution ${fmt(s.reference)}`;
        item.append(el("div", { class: "score" }, `${s.metric} = ${fmt(s.value)} (bar ${rel} ${fmt(s.bar)}${ref})`));
      }
      if (!ok && report.status !== "not_started" && explained < 3) {
        explained += 1;
        const d = check.details || {};
        const detail = el("div", { class: "detail" });
        if (check.message) detail.append(el("pre", { class: "message" }, check.message));
        if (check.falsifying_example) detail.append(el("div", {}, el("strong", {}, "on input: "), el("code", {}, check.falsifying_example)));
        if (d.expected !== undefined && d.got !== undefined && !check.not_implemented) {
          detail.append(el("div", {}, el("strong", {}, "expected: "), el("code", { class: "expected" }, String(d.expected))));
          detail.append(el("div", {}, el("strong", {}, "got: "), el("code", { class: "got" }, String(d.got))));
        }
        if (check.where) detail.append(el("div", {}, el("strong", {}, "in your file: "), el("code", {}, check.where)));
        if (check.stdout && check.stdout.trim()) detail.append(el("div", {}, el("strong", {}, "you printed: "), el("pre", {}, check.stdout)));
        item.append(detail);
      }
      list.append(item);
    }
    box.append(list);
    if (report.passed && payload.next) {
      box.append(el("p", { class: "next" }, "Next: ", el("a", { href: "/exercises/" + payload.next, id: "next-exercise" }, payload.next_title)));
    } else if (!report.passed && report.next_hint) {
      box.append(el("p", { class: "muted" }, `Stuck? Press Hint (hint ${report.next_hint}).`));
    }
  }

  function exercisePage() {
    const root = document.querySelector(".exercise");
    const id = root.dataset.id;
    let baseSha = root.dataset.sha;
    let dirty = false;
    let loading = false;
    const state = document.getElementById("save-state");
    const banner = document.getElementById("conflict");
    const bannerText = document.getElementById("conflict-text");
    const reportBox = document.getElementById("report");
    let diskText = null;

    const editor = AiengEditor.mount(document.getElementById("editor"), document.getElementById("initial-code").value, {
      onCheck: () => check(),
      onSave: () => save(),
      onChange: () => { if (!loading) { dirty = true; state.textContent = "unsaved changes"; } },
    });

    function setText(text, sha) {
      loading = true; editor.setValue(text); loading = false;
      baseSha = sha; dirty = false; state.textContent = "loaded from disk"; banner.hidden = true;
    }

    async function save(force) {
      const { status, data } = await api("PUT", `/api/exercises/${id}/file`, { text: editor.getValue(), base_sha256: force ? null : baseSha });
      if (status === 200) { baseSha = data.sha256; dirty = false; state.textContent = "saved"; banner.hidden = true; return true; }
      if (status === 409) {
        diskText = data; bannerText.textContent = "The file was changed by another editor since you opened it. Nothing was overwritten.";
        banner.hidden = false; state.textContent = "not saved"; return false;
      }
      state.textContent = data.error || "could not save"; return false;
    }

    let checking = false;
    async function check() {
      if (checking) return;  // one check at a time, however many times the shortcut fires
      checking = true;
      const button = document.getElementById("check");
      button.disabled = true;
      try {
        if (dirty && !(await save())) return;
        state.textContent = "checking…";
        await runCheck();
      } finally { checking = false; button.disabled = false; }
    }

    async function runCheck() {
      const { status, data } = await api("POST", `/api/exercises/${id}/check`);
      state.textContent = "";
      if (status !== 200) { reportBox.hidden = false; reportBox.textContent = data.error || "the check failed to run"; return; }
      renderReport(reportBox, data);
      if (data.report.passed) root.dataset.passed = "true";
    }

    async function poll() {
      if (!banner.hidden || checking) return;
      const asked = baseSha;
      const { status, data } = await api("GET", `/api/exercises/${id}/file`);
      if (status !== 200 || data.sha256 === baseSha || asked !== baseSha || checking) return;  // saved meanwhile
      diskText = data;
      bannerText.textContent = dirty ? "The file changed on disk, and you have unsaved changes here. Choose which to keep."
                                     : "The file changed on disk (another editor saved it).";
      banner.hidden = false;
    }

    document.getElementById("check").addEventListener("click", check);
    document.getElementById("save").addEventListener("click", () => save());
    document.getElementById("reload").addEventListener("click", async () => {
      const { data } = await api("GET", `/api/exercises/${id}/file`);
      setText(data.text, data.sha256);
    });
    document.getElementById("overwrite").addEventListener("click", () => save(true));
    document.getElementById("hint").addEventListener("click", async () => {
      const { data } = await api("POST", `/api/exercises/${id}/hint`);
      const list = document.getElementById("hint-list");
      list.replaceChildren(...data.hints.map((h) => el("li", {}, h)));
      document.getElementById("hints").hidden = false;
      if (data.hints.length >= data.total) document.getElementById("hint").title = "all hints shown";
    });
    document.getElementById("solution").addEventListener("click", async () => {
      let { status, data } = await api("POST", `/api/exercises/${id}/solution`, { confirm: false });
      if (status === 403 && data.locked) {
        if (!window.confirm("You have not passed this exercise yet. See the reference solution anyway? (It is recorded.)")) return;
        ({ status, data } = await api("POST", `/api/exercises/${id}/solution`, { confirm: true }));
      }
      if (status === 200) { document.getElementById("solution-code").textContent = data.source; document.getElementById("solution-box").hidden = false; }
    });
    document.addEventListener("keydown", (e) => {  // outside the editor (which handles its own Mod-Enter)
      if (!e.defaultPrevented && (e.ctrlKey || e.metaKey) && e.key === "Enter") { e.preventDefault(); check(); }
    });
    window.addEventListener("beforeunload", (e) => { if (dirty) { e.preventDefault(); e.returnValue = ""; } });
    setInterval(poll, 2000);
  }

  function quizPage() {
    for (const form of document.querySelectorAll(".quiz-item")) {
      const id = form.dataset.item, type = form.dataset.type;
      const result = form.querySelector(".result");
      let stage = "answer";
      async function send(response) {
        const { status, data } = await api("POST", `/api/quiz/${encodeURIComponent(id)}/answer`, { response });
        result.hidden = false;
        if (status !== 200) { result.className = "result error"; result.textContent = data.error; return; }
        result.className = "result " + (data.correct ? "right" : "wrong");
        result.replaceChildren(el("strong", {}, data.correct ? "Right." : (data.score > 0 ? `Partly right (${Math.round(100 * data.score)}%).` : "Not quite.")),
          " ", el("span", {}, "Answer: " + data.expected), el("p", { class: "muted" }, data.explanation));
        form.querySelector("button[type=submit]").disabled = true;
      }
      form.addEventListener("submit", async (e) => {
        e.preventDefault();
        if (type === "single") {
          const chosen = form.querySelector("input:checked");
          if (!chosen) { result.hidden = false; result.className = "result error"; result.textContent = "Pick one answer."; return; }
          return send(chosen.value);
        }
        if (type === "multiple") return send([...form.querySelectorAll("input:checked")].map((i) => i.value));
        if (type === "numeric") {
          const value = form.querySelector("input").value;
          if (value === "" || !isFinite(Number(value))) { result.hidden = false; result.className = "result error"; result.textContent = "Type a number."; return; }
          return send(Number(value));
        }
        // short and essay: write, read the model answer, then grade yourself
        const grade = form.querySelector(".self-grade");
        if (stage === "answer") {
          const { data } = await api("GET", `/api/quiz/${encodeURIComponent(id)}/model-answer`);
          grade.querySelector(".model").textContent = "Model answer: " + data.expected;
          const button = form.querySelector("button[type=submit]");
          if (type === "essay") {
            grade.querySelector(".rubric").replaceChildren(...data.rubric.map((r, i) => el("li", {}, el("label", {}, el("input", { type: "checkbox", "data-i": i }), " " + r))));
            button.textContent = "Record my self-assessment";
          } else {
            button.hidden = true;
            const yes = el("button", { type: "button", class: "primary" }, "Yes, I had it");
            const no = el("button", { type: "button" }, "No, not really");
            yes.addEventListener("click", () => { yes.disabled = no.disabled = true; send(true); });
            no.addEventListener("click", () => { yes.disabled = no.disabled = true; send(false); });
            grade.append(el("div", { class: "actions" }, yes, " ", no));
          }
          grade.hidden = false; stage = "grade"; return;
        }
        if (type === "essay") return send([...form.querySelectorAll(".rubric input")].map((i) => i.checked));
      });
    }
  }

  function glossaryPage() {
    const input = document.getElementById("glossary-search");
    const entries = [...document.querySelectorAll(".term-entry")];
    const count = document.getElementById("glossary-count");
    function filter() {
      const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      let shown = 0;
      for (const entry of entries) {
        const hit = words.every((w) => entry.dataset.search.includes(w));
        entry.hidden = !hit; shown += hit;
      }
      count.textContent = `${shown} of ${entries.length} terms`;
    }
    input.addEventListener("input", filter);
    filter();
    if (location.hash) { const target = document.querySelector(location.hash); if (target && target.hidden) { input.value = ""; filter(); } }
  }

  function tutorPage() {
    const form = document.getElementById("tutor-form");
    const out = document.getElementById("tutor-answer");
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const question = document.getElementById("tutor-question").value;
      out.replaceChildren(el("p", { class: "card muted" }, "Searching the lessons…"));
      const { status, data } = await api("POST", "/api/tutor", { question });
      if (status !== 200) { out.replaceChildren(el("p", { class: "card error" }, data.error || "the tutor failed")); return; }
      const parts = [];
      if (data.text) {
        parts.push(el("section", { class: "card" }, el("p", { class: "muted" }, "Answer from " + data.generator_label), el("p", { id: "tutor-text" }, data.text)));
      } else if (data.error) {
        parts.push(el("p", { class: "card muted" }, data.error));
      }
      data.passages.forEach((p, i) => parts.push(el("section", { class: "card passage" },
        el("p", { class: "muted" }, `[${i + 1}] `, el("a", { href: p.url }, p.source), ` · score ${p.score.toFixed(2)}`),
        el("p", {}, p.text))));
      out.replaceChildren(...parts);
    });
  }

  const logout = document.getElementById("logout");
  if (logout) logout.addEventListener("click", async () => { await api("POST", "/logout"); location.href = "/login"; });

  window.Aieng = { exercisePage, quizPage, glossaryPage, tutorPage };
})();
