// A report's PDF being built: the progress bar follows the builder (polling the job's JSON), and the
// download link appears when the PDF is ready. Works without it: the page shows the state on reload.
(function () {
  "use strict";
  const box = document.getElementById("report-job");
  if (!box) return;
  const bar = document.getElementById("job-progress");
  const state = document.getElementById("job-state");
  const download = document.getElementById("job-download-row");
  let delay = 700;

  function show(job) {
    bar.value = job.progress;
    bar.textContent = job.progress + "%";
    let text = box.dataset["text" + job.state.charAt(0).toUpperCase() + job.state.slice(1)] || "";
    if (job.state === "running") {
      const step = box.dataset["step" + (job.step || "").charAt(0).toUpperCase() + (job.step || "").slice(1)];
      text = (step ? step + "… " : text + " ") + job.progress + "%";
    }
    if (state.textContent !== text) state.textContent = text;
    box.dataset.state = job.state;
    download.hidden = job.state !== "done";
  }

  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then((job) => {
        show(job);
        if (job.state === "queued" || job.state === "running") setTimeout(poll, delay);
      }, () => {
        delay = Math.min(delay * 2, 10000);
        setTimeout(poll, delay);
      });
  }

  if (box.dataset.state === "queued" || box.dataset.state === "running") setTimeout(poll, delay);
})();
