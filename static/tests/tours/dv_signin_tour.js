/** @odoo-module */
/**
 * A case worker whose time to set up two-factor sign-in is over: the web
 * client tells her so when it starts, the case management refuses her with
 * a dialog, and its button opens her account security, where she sets up an
 * authenticator app.
 */
import { addTour, openApp } from "./dv_tour_utils";

addTour("dv_signin_tour", {
    steps: () => [
        {
            content: "the web client tells her that two-factor sign-in is missing",
            trigger: ".o_notification.o_dv_signin_notice .o_notification_bar.bg-danger",
        },
        ...openApp(),
        {
            content: "the case management refuses her and says why",
            trigger: ".modal .o_dv_signin_required [role=alert]:contains(/\\S/)",
        },
        {
            content: "set up two-factor sign-in",
            trigger: ".modal .o_dv_signin_set_up",
            run: "click",
        },
        {
            content: "her preferences open: the account security tab",
            trigger: ".modal .o_form_view .nav-link[name=page_account_security]",
            run: "click",
        },
        {
            content: "where she switches on the authenticator app",
            trigger: ".modal .o_form_view button[name=action_totp_enable_wizard]:visible",
        },
    ],
});
