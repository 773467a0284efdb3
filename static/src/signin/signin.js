/** @odoo-module **/
/*
 * Strong sign-in in the web client: the notice a user whose role asks for
 * two-factor sign-in gets when the web client starts (session_info's
 * dv_signin), and the dialog for the server's SignInRequired error, both
 * with a button to her account security.
 */
import { Component } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { standardErrorDialogProps } from "@web/core/errors/error_dialogs";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { useService } from "@web/core/utils/hooks";
import { session } from "@web/session";

/** Open the user's preferences, where Account Security sets up 2FA. */
export async function openAccountSecurity(orm, action) {
    const description = await orm.call("res.users", "action_get");
    description.res_id = user.userId;
    return action.doAction(description);
}

export class SignInRequiredDialog extends Component {
    static template = "dv_case_management.SignInRequiredDialog";
    static components = { Dialog };
    static props = { ...standardErrorDialogProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.title = _t("Two-factor sign-in");
    }

    async onSetUp() {
        await openAccountSecurity(this.orm, this.action);
        this.props.close();
    }
}

registry
    .category("error_dialogs")
    .add("odoo.addons.dv_case_management.models.res_users.SignInRequired", SignInRequiredDialog);

export const signInNoticeService = {
    dependencies: ["notification", "orm", "action"],
    start(env, { notification, orm, action }) {
        const notice = session.dv_signin;
        if (!notice) {
            return;
        }
        const close = notification.add(notice.message, {
            title: notice.title,
            type: notice.type,
            sticky: true,
            className: "o_dv_signin_notice",
            buttons: [
                {
                    name: _t("Set Up Now"),
                    primary: true,
                    onClick: async () => {
                        close();
                        await openAccountSecurity(orm, action);
                    },
                },
            ],
        });
    },
};

registry.category("services").add("dv_signin_notice", signInNoticeService);
