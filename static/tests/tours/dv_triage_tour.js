/** @odoo-module */
/**
 * The intake office's triage: the case worker opens the triage list, finds
 * the high-risk referral on top, takes it although she already holds as many
 * open cases as the limit, is warned (not stopped) and lands on the case,
 * now hers.
 */
import { addTour, openApp, openMenu } from "./dv_tour_utils";

const FIRST = ".o_list_view .o_data_row:first";

addTour("dv_triage_tour", {
    steps: () => [
        ...openApp(),
        openMenu("dv_triage_menu", "dv_referral_menu"),
        {
            content: "the high-risk referral is on top, with its four points",
            trigger: `${FIRST} td[name=priority]:contains(4)`,
        },
        {
            content: "its high risk is shown",
            trigger: `${FIRST} td[name=high_risk] input:checked`,
        },
        {
            content: "take the first referral",
            trigger: `${FIRST} button[name=action_take]`,
            run: "click",
        },
        {
            content: "a warning: the caseload is at the limit",
            trigger: ".o_notification:has(.o_notification_bar.bg-warning)",
        },
        {
            content: "the case opens, now the case worker's",
            trigger: ".o_form_view .o_field_widget[name=user_id] input:value(Dv Tour Intake)",
        },
    ],
});
