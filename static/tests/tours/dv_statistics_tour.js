/** @odoo-module */
/**
 * The statistics role downloads the statistics workbook. The tour watches
 * the download: it ends only once the browser received the xlsx file.
 */
import { download } from "@web/core/network/download";
import { addTour, openApp, openMenu } from "./dv_tour_utils";

addTour("dv_statistics_tour", {
    steps: () => [
        ...openApp(),
        openMenu("dv_statistics_menu", "dv_statistics_root_menu"),
        {
            content: "the wizard proposes this year",
            trigger: ".modal .o_field_widget[name=date_from] input:value(/\\d/)",
        },
        {
            content: "download the workbook",
            trigger: ".modal .modal-footer button[name=action_print]",
            async run(helpers) {
                const original = download._download;
                download._download = async (options) => {
                    download._download = original;
                    const filename = await original(options);
                    const [url] = JSON.parse(options.data.data);
                    Object.assign(document.body.dataset, {
                        dvDownloadUrl: url,
                        dvDownload: filename,
                    });
                    return filename;
                };
                await helpers.click();
            },
        },
        {
            content: "the browser received the workbook",
            trigger:
                'body[data-dv-download-url^="/report/xlsx/dv_case_management.statistics_xlsx/"][data-dv-download$=".xlsx"]',
        },
        {
            content: "close the wizard",
            trigger: ".modal .modal-footer button[special=cancel]",
            run: "click",
        },
        {
            content: "the wizard is closed",
            trigger: "body:not(:has(.modal))",
        },
    ],
});
