from odoo import api, models

from .dv_access_log import _PENDING, _not_readonly


class DvAccessLoggedMixin(models.AbstractModel):
    """A record of personal data: every read by a user through the API
    (``read``, ``search_read``, ``web_read``, ``web_search_read``,
    ``name_search``, exports) is in the access log, one INSERT a request
    however the reads nest. Nothing the client sends turns it off."""

    _name = "dv.access.logged.mixin"
    _description = "Record whose Reads Are Logged"

    # Reading only these fields reads no personal data.
    _dv_log_free_fields = frozenset({"id"})

    def _dv_reads_personal(self, fnames):
        return fnames is None or bool(set(fnames) - self._dv_log_free_fields)

    def _dv_logged(self, call, fnames, ids_of):
        if self.env.su or not self._dv_reads_personal(fnames):
            return call()
        pending = _PENDING.get()
        outer = pending is None
        token = _PENDING.set([]) if outer else None
        try:
            result = call()
            _PENDING.get().append(self.browse(ids_of(result)))
            batch = _PENDING.get()
        finally:
            if outer:
                _PENDING.reset(token)
        if outer:
            self.env["dv.access.log"]._log_many(batch)
        return result

    @_not_readonly
    def read(self, fields=None, load="_classic_read"):
        return self._dv_logged(
            lambda: super(DvAccessLoggedMixin, self).read(fields, load),
            fields,
            lambda result: [values["id"] for values in result],
        )

    @_not_readonly
    def web_read(self, specification):
        return self._dv_logged(
            lambda: super(DvAccessLoggedMixin, self).web_read(specification),
            list(specification),
            lambda result: [values["id"] for values in result],
        )

    @api.model
    @_not_readonly
    def search_read(
        self, domain=None, fields=None, offset=0, limit=None, order=None, **kw
    ):
        return self._dv_logged(
            lambda: super(DvAccessLoggedMixin, self).search_read(
                domain, fields, offset=offset, limit=limit, order=order, **kw
            ),
            fields,
            lambda result: [values["id"] for values in result],
        )

    @api.model
    @_not_readonly
    def web_search_read(
        self, domain, specification, offset=0, limit=None, order=None, count_limit=None
    ):
        return self._dv_logged(
            lambda: super(DvAccessLoggedMixin, self).web_search_read(
                domain,
                specification,
                offset=offset,
                limit=limit,
                order=order,
                count_limit=count_limit,
            ),
            list(specification),
            lambda result: [values["id"] for values in result["records"]],
        )

    @api.model
    @_not_readonly
    def name_search(self, name="", args=None, operator="ilike", limit=100):
        return self._dv_logged(
            lambda: super(DvAccessLoggedMixin, self).name_search(
                name, args, operator, limit
            ),
            ["display_name"],
            lambda result: [record_id for record_id, _name in result],
        )

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        if not self.env.su:
            self.env["dv.access.log"]._log(self)
        return result
