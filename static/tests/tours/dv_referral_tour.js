/** @odoo-module */
/**
 * A police referral arrives at the intake office: the case worker enters it,
 * starts contacting, logs an unanswered and an answered call with one click
 * each, and opens the case the referral brought, now in progress. A second referral for the same victim
 * proposes that case; the case worker joins it.
 */
import { addTour, openApp, openMenu, pickRecord, saveForm, stateIs } from "./dv_tour_utils";

const ATTEMPTS = ".o_field_widget[name=contact_attempt_ids]";

/** One click logs the call just made. */
function logCall(button, count) {
    return [
        {
            content: `log the call: ${button}`,
            trigger: `.o_form_statusbar button[name=${button}]`,
            run: "click",
        },
        {
            content: `${count} attempt(s) listed first in the form`,
            trigger: `${ATTEMPTS} .o_data_row:eq(${count - 1})`,
        },
        {
            content: "a moment passes before the next call",
            trigger: ATTEMPTS,
            run: () => new Promise((resolve) => setTimeout(resolve, 1100)),
        },
    ];
}

/**
 * Enters a police referral for Tara Tour with ``reference``, resting on the
 * statute ``norm``, and saves it.
 */
function enterReferral(reference, norm = "§ 34a PolG NRW") {
    return [
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
            run: `edit ${reference}`,
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
            run: `edit ${norm}`,
        },
        ...saveForm(),
    ];
}

addTour("dv_referral_tour", {
    steps: () => [
        ...openApp(),
        ...enterReferral("TOUR-4711"),
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
        {
            content: "look at the contact attempts",
            trigger: ".o_form_view .o_notebook a.nav-link[name=attempts]",
            run: "click",
        },
        ...logCall("action_call_not_reached", 1),
        stateIs("contacting"),
        ...logCall("action_call_reached", 2),
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
        // The victim was reached: the work on her case has begun.
        stateIs("in_progress"),
        ...enterReferral("TOUR-4712"),
        {
            content: "the second referral proposes the case instead of joining it",
            trigger: ".o_form_view .alert .o_field_widget[name=proposed_case_id]:contains(HG-)",
        },
        {
            content: "the case worker joins the proposed case",
            trigger: ".o_form_statusbar button[name=action_join_case]",
            run: "click",
        },
        {
            content: "confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "the referral joined the case as a repeat",
            trigger: ".o_form_statusbar button[name=action_separate_case]",
        },
        {
            content: "the referral shows its case",
            trigger: ".o_field_widget[name=case_id]:contains(HG-)",
        },
    ],
});

/**
 * Schleswig-Holstein: the police passed Tara Tour's data under § 201a Abs. 6
 * LVwG; she declines the counselling on the phone. The referral says that
 * her data are to be erased now, as the statute requires.
 */
addTour("dv_referral_declined_tour", {
    steps: () => [
        ...openApp(),
        ...enterReferral("TOUR-SH-1", "§ 201a Abs. 6 LVwG"),
        stateIs("received"),
        {
            content: "start contacting the victim",
            trigger: ".o_form_statusbar button[name=action_start_contacting]",
            run: "click",
        },
        stateIs("contacting"),
        {
            content: "she declines the counselling",
            trigger: ".o_form_statusbar button[name=action_mark_declined]",
            run: "click",
        },
        {
            content: "the office is told that the data will be erased, and confirms",
            trigger: ".modal:contains(Löschlauf) .modal-footer .btn-primary",
            run: "click",
        },
        stateIs("declined"),
        {
            content: "the referral says that her data are to be erased now",
            trigger: ".o_field_widget[name=erase_on_decline] input:checked",
        },
    ],
});
