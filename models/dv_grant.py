from odoo import api, models


class DvGrantMixin(models.AbstractModel):
    """A record that decides who reads which cases: an agency's membership,
    the agency being active, a share, the consent a share rests on, an
    emergency access. The record rules of the addon's models are computed
    from these grants and cached (``ir.rule``), and the grant query reads
    them as the database has them. So whenever a grant is created, deleted
    or one of its grant fields is written, this mixin flushes the grant
    fields (and the models the grant query reads with them) and clears the
    rule cache once: the very next access check, in the same request, sees
    the change. The flush comes after the write has passed its checks; the
    rules themselves never flush (see ``ir.rule._eval_context``)."""

    _name = "dv.grant.mixin"
    _description = "Record Granting Access"

    # The fields whose change alters what someone may read.
    _dv_grant_fields = ()
    # Whether a new record grants access by itself (a membership, an
    # emergency access). A new share or consent grants nothing until it is
    # accepted, a new agency nothing until it has members.
    _dv_grant_on_create = True
    # Models whose pending writes the grant query reads along with this
    # model's rows (a share's consent).
    _dv_grant_flush_models = ()

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        if self._dv_grant_on_create:
            records._dv_grant_changed(self._dv_grant_fields)
        return records

    def write(self, vals):
        result = super().write(vals)
        changed = [fname for fname in self._dv_grant_fields if fname in vals]
        if changed and self:
            self._dv_grant_changed(changed)
            # A written grant may take access away (a share revoked, a
            # consent withdrawn): no replica serves reads without it.
            self.env["dv.replica"]._dv_access_withdrawn()
        return result

    def unlink(self):
        granted = bool(self)
        result = super().unlink()
        if granted:
            self.env.registry.clear_cache()
            self.env["dv.replica"]._dv_access_withdrawn()
        return result

    def _dv_grant_changed(self, fnames):
        """Let the next access check see the grants as they are now."""
        self.flush_recordset(list(fnames))
        for model_name in self._dv_grant_flush_models:
            self.env[model_name].flush_model()
        self.env.registry.clear_cache()
