"""Reports: the lab e-book, the network dossier, the programme dashboard, raw-data exports.

- ``filters``: what the reader chose (lab, network, period), checked;
- ``figures``: the dashboard's figures, pure functions of stored rows (attendance, hours...);
- ``dashboard``: the core's sections and those plugins add (``dashboard_sections`` hook);
- ``ebook`` and ``dossier``: what goes in a lab's e-book and a network's dossier, each
  exercise's results rendered by its plugin (``rendering.render``, the ``render_archive`` hook);
- ``pdf``: HTML to a tagged PDF (PDF/UA-1) with WeasyPrint;
- ``jobs``: PDFs built in a separate process, progress kept in ``report_jobs``;
- ``exports``: CSV and JSON of a meeting's raw data and of a network's archive, with a data
  dictionary, every cell safe to open in a spreadsheet.

Queries live in ``store`` and ``artifacts`` like every other (a test checks it).
"""
