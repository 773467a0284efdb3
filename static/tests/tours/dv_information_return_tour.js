/** @odoo-module */
/**
 * Before and after a case conference, in four tours: the coordinator sends
 * the invitations and with them asks every participating agency for its
 * information return; the shelter submits its return (facts, concerns, what
 * it can offer); the coordinator reads it, shares it, records that the
 * victim was told her case is discussed, marks the conference as held and
 * records that she was told the result; the case worker records the
 * follow-up three months after the conference.
 */
import {
    addTour,
    AGENDA,
    clickStatusButton,
    conferenceHeld,
    openAgendaItem,
    openApp,
    openConference,
    openMenu,
    openTab,
    saveDialog,
    saveForm,
    stateIs,
} from "./dv_tour_utils";

const RETURNS = ".o_field_widget[name=return_ids]";
const CONTRIBUTIONS = ".modal .o_field_widget[name=contribution_ids]";
const SHELTER_ROW = `${RETURNS} .o_data_row:has(td[name=agency_id]:contains(Tour Frauenhaus))`;

/** Records in the dialog of the agenda row that she was told, by ``channel``. */
function recordVictimTold(channel) {
    return [
        {
            content: "record whether the victim was told",
            trigger: `${AGENDA} .o_data_row button[name=action_record_victim_notice]`,
            run: "click",
        },
        {
            content: "she was told",
            trigger: ".modal .o_field_widget[name=outcome] input[data-value=informed]:checked",
        },
        {
            content: `told ${channel}`,
            trigger: ".modal .o_field_widget[name=channel] select",
            run: `select "${channel}"`,
        },
        ...saveDialog("keep it"),
    ];
}

addTour("dv_return_request_tour", {
    steps: () => [
        ...openConference(),
        clickStatusButton("action_invite", "invite the participants"),
        stateIs("invited"),
        openTab("returns"),
        {
            content: "the shelter is asked for its return",
            trigger: `${SHELTER_ROW} td[name=due_date]:contains(/\\d/)`,
        },
        {
            content: "returns are still to come",
            trigger: ".o_field_widget[name=return_open_count]:contains(/^\\s*2\\s*$/)",
        },
    ],
});

addTour("dv_return_submit_tour", {
    steps: () => [
        ...openApp(),
        openMenu("dv_conference_return_menu", "dv_conference_root_menu"),
        {
            content: "the shelter's return is to submit",
            trigger: ".o_list_view .o_data_row td[name=agency_id]:contains(Tour Frauenhaus)",
            run: "click",
        },
        stateIs("requested"),
        {
            content: "the facts",
            trigger: ".o_field_widget[name=text] textarea",
            run: "edit Frauenhaus-Aufenthalt vom 3. bis 20. März 2026.",
        },
        {
            content: "the concerns, apart from the facts",
            trigger: ".o_field_widget[name=concerns] textarea",
            run: "edit Wir befürchten, dass er die neue Adresse kennt.",
        },
        {
            content: "what the shelter can offer",
            trigger: ".o_field_widget[name=offer] textarea",
            run: "edit Kurzfristig ein Platz im Frauenhaus.",
        },
        ...saveForm(),
        clickStatusButton("action_submit", "submit the return"),
        stateIs("submitted"),
    ],
});

addTour("dv_return_conference_tour", {
    steps: () => [
        ...openConference(),
        openTab("returns"),
        {
            content: "the shelter's return is in",
            trigger: `${SHELTER_ROW} td[name=submitted_on]:contains(/\\d/)`,
        },
        openTab("agenda"),
        openAgendaItem(),
        {
            content: "the coordinator reads the shelter's concerns",
            trigger: `${CONTRIBUTIONS} .o_data_row td[name=concerns]:contains(neue Adresse)`,
        },
        {
            content: "and shares the return with the participants",
            trigger: `${CONTRIBUTIONS} .o_data_row:has(td[name=concerns]:contains(neue Adresse)) button[name=action_share]`,
            run: "click",
        },
        {
            content: "the return is shared",
            trigger: `${CONTRIBUTIONS} .o_data_row:has(td[name=concerns]:contains(neue Adresse)) td[name=shared] input:checked`,
        },
        ...saveDialog("close the agenda item"),
        ...recordVictimTold("phone"),
        {
            content: "she knows her case is discussed",
            trigger: `${AGENDA} .o_data_row td[name=victim_informed_before] input:checked`,
        },
        ...conferenceHeld(),
        openTab("agenda"),
        ...recordVictimTold("in_person"),
        {
            content: "she knows the result",
            trigger: `${AGENDA} .o_data_row td[name=victim_informed_after] input:checked`,
        },
    ],
});

addTour("dv_return_followup_tour", {
    steps: () => [
        ...openApp(),
        openMenu("dv_case_menu", "dv_case_root_menu"),
        {
            content: "open the case, the only one of the office",
            trigger: ".o_kanban_view .o_kanban_record:not(.o_kanban_ghost)",
            run: "click",
        },
        openTab("risk"),
        {
            content: "open the follow-up three months after the conference",
            trigger: ".o_field_widget[name=followup_ids] .o_data_row:first-child td[name=months]",
            run: "click",
        },
        {
            content: "no new incidents",
            trigger: ".modal .o_field_widget[name=new_incidents] input[data-value=no]",
            run: "click",
        },
        {
            content: "no police call-outs",
            trigger: ".modal .o_field_widget[name=police_callouts] input[data-value=no]",
            run: "click",
        },
        {
            content: "she feels safer",
            trigger: ".modal .o_field_widget[name=safety_rating] input[data-value=better]",
            run: "click",
        },
        {
            content: "record the follow-up",
            trigger: ".modal button[name=action_done]",
            run: "click",
        },
        {
            content: "the follow-up is done",
            trigger: ".o_field_widget[name=followup_ids] .o_data_row:first-child td[name=done_on]:contains(/\\d/)",
        },
    ],
});
