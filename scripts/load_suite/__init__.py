"""The load, fault and bad-input suite run by ``scripts/load``.

Plain Python (no Odoo import) except ``setup_db.py`` and
``retention_job.py``, which ``scripts/load`` feeds to ``odoo-bin shell``.
"""
