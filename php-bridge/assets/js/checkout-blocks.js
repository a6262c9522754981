/*
 * VietQR in the WooCommerce Checkout block. Plain script, no build step:
 * only the globals WooCommerce and WordPress provide (see the dependencies
 * in Checkout\BlocksSupport). The QR itself is shown after the order is placed.
 */
(function () {
  "use strict";
  var registerPaymentMethod = window.wc.wcBlocksRegistry.registerPaymentMethod;
  var createElement = window.wp.element.createElement;
  var decodeEntities = window.wp.htmlEntities.decodeEntities;
  var settings = window.wc.wcSettings.getSetting("vietqr_data", {});
  var label = decodeEntities(settings.title || "") || "VietQR";

  function Content() {
    return decodeEntities(settings.description || "");
  }

  function Label(props) {
    var PaymentMethodLabel = props.components.PaymentMethodLabel;
    return createElement(PaymentMethodLabel, { text: label });
  }

  registerPaymentMethod({
    name: "vietqr",
    label: createElement(Label, null),
    content: createElement(Content, null),
    edit: createElement(Content, null),
    canMakePayment: function () {
      return true;
    },
    ariaLabel: label,
    supports: { features: settings.supports || ["products"] },
  });
})();
