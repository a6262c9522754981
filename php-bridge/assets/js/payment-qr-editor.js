// The vietqr/payment-qr block in the editor, without a build step: two
// fields in the sidebar and the server's own rendering as the preview
// (PaymentQr\Renderer, the same HTML visitors get). Strings come from PHP.
(function (blocks, element, blockEditor, components, ServerSideRender) {
  var el = element.createElement;
  var t = window.vietqrPaymentQrEditor || {};
  blocks.registerBlockType("vietqr/payment-qr", {
    edit: function (props) {
      var a = props.attributes;
      var set = function (key) {
        return function (value) {
          var next = {};
          next[key] = value;
          props.setAttributes(next);
        };
      };
      return el(
        element.Fragment,
        null,
        el(
          blockEditor.InspectorControls,
          null,
          el(
            components.PanelBody,
            { title: t.settings },
            el(components.TextControl, { label: t.amount, help: t.amountHelp, inputMode: "numeric", value: a.amount === undefined || a.amount === null ? "" : String(a.amount), onChange: set("amount") }),
            el(components.TextControl, { label: t.content, help: t.contentHelp, value: a.content || "", onChange: set("content") })
          )
        ),
        el("div", blockEditor.useBlockProps(), el(ServerSideRender, { block: "vietqr/payment-qr", attributes: a }))
      );
    },
    save: function () {
      return null;
    },
  });
})(window.wp.blocks, window.wp.element, window.wp.blockEditor, window.wp.components, window.wp.serverSideRender);
