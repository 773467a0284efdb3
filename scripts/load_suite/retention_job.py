"""The retention job as Odoo's cron runner runs it, fed to ``odoo-bin shell``
by the load suite (``env`` comes from the shell).

The job is made due, then acquired and processed with the cron runner's own
methods (``_acquire_one_job`` / ``_process_job``): each batch of cases runs
in its own transaction and is committed, the job is called again while
cases remain. The suite kills this process with SIGKILL in the middle of a
run and starts it again; the second run must finish the work.
"""
# ruff: noqa: F821  (env comes from odoo-bin shell)

import os

from odoo.sql_db import db_connect

cron_id = int(os.environ["DV_LOAD_CRON"])
env.cr.execute(
    "UPDATE ir_cron SET nextcall = now() at time zone 'UTC', active = true "
    "WHERE id = %s",
    [cron_id],
)
env.cr.commit()
IrCron = env.registry["ir.cron"]
database = db_connect(env.cr.dbname)
rounds = 0
while rounds < 100:
    with database.cursor() as cron_cr:
        job = IrCron._acquire_one_job(cron_cr, cron_id)
        if not job:
            break
        IrCron._process_job(database, cron_cr, job)
    rounds += 1
print(f"retention job: {rounds} round(s)", flush=True)
