/** @odoo-module */
/**
 * A police referral arrives at the intake office: the case worker enters it,
 * starts contacting, logs an unanswered call and a successful contact, and
 * opens the case the referral brought.
 */
import { registry } from "@web/core/registry";
import { openApp, openMenu, pickRecord, saveForm, stateIs } from "./dv_tour_utils";

const ATTEMPTS = ".o_field_widget[name=contact_attempt_ids]";

function logAttempt(channelCode, outcome) {
    return [
        {
            content: "add a contact attempt",
            trigger: `${ATTEMPTS} .o_field_x2many_list_row_add a`,
            run: "click",
        },
        pickRecord("channel_id", "dv.contact.channel", [["code", "=", channelCode]], `${ATTEMPTS} .o_selected_row`),
        {
            content: `the attempt's outcome: ${outcome}`,
            trigger: `${ATTEMPTS} .o_selected_row .o_field_widget[name=outcome] select`,
            run: `select "${outcome}"`,
        },
        ...saveForm(),
    ];
}

registry.category("web_tour.tours").add("dv_referral_tour", {
    url: "/odoo",
    steps: () => [
        ...openApp(),
        openMenu("dv_referral_inbound_menu", "dv_referral_menu"),
        {
            content: "enter a new referral",
            trigger: ".o_list_view .o_list_button_add",
            run: "click",
        },
        pickRecord("from_agency_id", "dv.agency", [["name", "=", "Tour Polizeiinspektion"]]),
        pickRecord("to_agency_id", "dv.agency", [["name", "=", "Tour Interventionsstelle"]]),
        {
            content: "the police reference",
            trigger: ".o_field_widget[name=police_reference] input",
            run: "edit TOUR-4711",
        },
        {
            content: "the name of the victim",
            trigger: ".o_field_widget[name=victim_name] input",
            run: "edit Tara Tour",
        },
        {
            content: "the phone number of the victim",
            trigger: ".o_field_widget[name=victim_phone] input",
            run: "edit +49 170 4711000",
        },
        {
            content: "the referral rests on a statute",
            trigger: ".o_field_widget[name=legal_basis] select",
            run: 'select "statute"',
        },
        {
            content: "the statute's norm",
            trigger: ".o_field_widget[name=legal_norm] input",
            run: "edit § 34a PolG NRW",
        },
        ...saveForm(),
        stateIs("received"),
        {
            content: "the referral opened a case",
            trigger: ".o_field_widget[name=case_id]:contains(HG-)",
        },
        {
            content: "start contacting the victim",
            trigger: ".o_form_statusbar button[name=action_start_contacting]",
            run: "click",
        },
        stateIs("contacting"),
        ...logAttempt("phone", "no_answer"),
        stateIs("contacting"),
        ...logAttempt("sms", "reached"),
        stateIs("contacted"),
        {
            content: "the first contact is recorded",
            trigger: ".o_field_widget[name=first_contact_at]:contains(/\\d/)",
        },
        {
            content: "open the case with the smart button",
            trigger: ".o_form_view button[name=action_open_case]",
            run: "click",
        },
        {
            content: "the case shows the two contact attempts",
            trigger: ".o_form_view .o_notebook a.nav-link[name=referrals]",
            run: "click",
        },
        {
            content: "two attempts on the case",
            trigger: ".o_field_widget[name=contact_attempt_ids] .o_data_row:eq(1)",
        },
        {
            content: "start working on the case",
            trigger: ".o_form_statusbar button[name=action_start]",
            run: "click",
        },
        stateIs("in_progress"),
    ],
});
