/** @odoo-module */
/**
 * Four eyes: the case worker asks to close her high-risk case (reason,
 * outcome and why it can be closed); the case stays open and shows the
 * request. A coordinator of the office finds it under Approvals and
 * approves it, which closes the case.
 */
import { addTour, chooseRadio, openApp, openMenu, pickRecord, stateIs } from "./dv_tour_utils";

/**
 * A coordinator opens the only request awaiting approval under Approvals
 * and approves it.
 */
function approveRequest() {
    return [
        ...openApp(),
        openMenu("dv_case_approval_menu", "dv_case_root_menu"),
        {
            content: "open the request awaiting approval",
            trigger: ".o_list_view .o_data_row .o_data_cell[name=case_id]",
            run: "click",
        },
        {
            content: "approve it",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_approve]",
            run: "click",
        },
        stateIs("approved"),
    ];
}

addTour("dv_close_request_tour", {
    steps: () => [
        ...openApp(),
        openMenu("dv_case_menu", "dv_case_root_menu"),
        {
            content: "open the high-risk case of Hanna Hoch, the only one of the office",
            trigger: ".o_kanban_view .o_kanban_record:not(.o_kanban_ghost)",
            run: "click",
        },
        {
            content: "close the case",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_open_close_wizard]",
            run: "click",
        },
        {
            content: "the dialog says that a coordinator approves the closure",
            trigger: ".modal .o_field_widget[name=request_reason] textarea",
        },
        pickRecord("closure_reason_id", "dv.closure.reason", [["code", "=", "moved"]], ".modal"),
        chooseRadio("outcome_abuse", "stopped", ".modal"),
        chooseRadio("outcome_safety", "better", ".modal"),
        {
            content: "why the high-risk case can be closed",
            trigger: ".modal .o_field_widget[name=request_reason] textarea",
            run: "edit Umgezogen in ein anderes Bundesland, Beratung dort übernommen.",
        },
        {
            content: "ask for the approval",
            trigger: ".modal .modal-footer button[name=action_confirm]",
            run: "click",
        },
        {
            content: "the case shows the request awaiting approval",
            trigger: "body:not(:has(.modal)) .o_form_view div[name=pending_approval] .o_field_widget[name=pending_approval_id]",
        },
        {
            content: "she cannot approve it herself: she may only withdraw it",
            trigger: ".o_form_view div[name=pending_approval]:not(:has(button[name=action_approve_pending])) button[name=action_withdraw_approval]",
        },
        stateIs("new"),
    ],
});

addTour("dv_approve_tour", {
    steps: () => [
        ...approveRequest(),
    ],
});

const AGENDA = ".o_field_widget[name=line_ids]";
const ENDED = ".o_dv_high_risk_ended"; // the badge of an ended high-risk status

/**
 * The network decided at a held conference that Nora Netz's case is no
 * longer high risk: the coordinator asks for the end on the case's agenda
 * item; the case shows the request and is still high risk.
 */
addTour("dv_end_high_risk_request_tour", {
    steps: () => [
        ...openApp(),
        openMenu("dv_conference_menu", "dv_conference_root_menu"),
        {
            content: "open the held conference, the only one",
            trigger: ".o_list_view .o_data_row .o_data_cell[name=name]",
            run: "click",
        },
        stateIs("held"),
        {
            content: "look at the agenda",
            trigger: ".o_form_view .o_notebook a.nav-link[name=agenda]",
            run: "click",
        },
        {
            content: "open the case's agenda item",
            trigger: `${AGENDA} .o_data_row td[name=label]:contains(/./)`,
            run: "click",
        },
        {
            content: "the network decided to end the high-risk status",
            trigger: ".modal .o_form_view button[name=action_end_high_risk]",
            run: "click",
        },
        {
            content: "why the case is no longer high risk",
            trigger: ".modal .o_field_widget[name=note] textarea",
            run: "edit Täter seit Monaten im Ausland, kein Kontakt mehr.",
        },
        {
            content: "ask for the approval",
            trigger: ".modal .modal-footer button[name=action_confirm]",
            run: "click",
        },
        {
            content: "the agenda item offers the end no longer: it awaits approval",
            trigger:
                "body:not(:has(.modal .o_field_widget[name=note])) .modal .o_form_view:not(:has(button[name=action_end_high_risk])) .o_field_widget[name=label]",
        },
        {
            content: "open the case from the agenda item",
            trigger: ".modal .o_form_view button[name=action_open_case]",
            run: "click",
        },
        {
            content: "the case shows the request awaiting approval",
            trigger:
                "body:not(:has(.modal)) .o_form_view div[name=pending_approval] .o_field_widget[name=pending_approval_id]",
        },
        {
            content: "she cannot approve her own request: she may only withdraw it",
            trigger:
                ".o_form_view div[name=pending_approval]:not(:has(button[name=action_approve_pending])) button[name=action_withdraw_approval]",
        },
        {
            content: "the case is still high risk: no badge of an ended status",
            trigger: `.o_form_view .oe_title:not(:has(${ENDED})) .o_field_widget[name=risk_level]`,
        },
    ],
});

/**
 * Another coordinator of the lead agency approves the end; the case's badge
 * says that its high-risk status has ended.
 */
addTour("dv_end_high_risk_approve_tour", {
    steps: () => [
        ...approveRequest(),
        {
            content: "open the case",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_open_case]",
            run: "click",
        },
        {
            content: "the case's badge says that its high-risk status has ended",
            trigger: `.o_form_view .oe_title ${ENDED}`,
        },
        {
            content: "and it awaits no approval any more",
            trigger: ".o_form_view:not(:has(div[name=pending_approval])) .oe_title",
        },
    ],
});
