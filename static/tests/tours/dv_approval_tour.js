/** @odoo-module */
/**
 * Four eyes: the case worker asks to close her high-risk case (reason,
 * outcome and why it can be closed); the case stays open and shows the
 * request. A coordinator of the office finds it under Approvals and
 * approves it, which closes the case.
 */
import { addTour, chooseRadio, openApp, openMenu, pickRecord, stateIs } from "./dv_tour_utils";

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
    ],
});
