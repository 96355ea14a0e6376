/**
 * Fields (Exact's names and Edm types) of salesorder/SalesOrders, their lines and the sync
 * headers, and the endpoint rows the router reads. Kept apart from entities.ts, which other
 * engineers extend, so the order endpoints are one appended line there.
 */
import type { Endpoint, Fields } from './endpoint';

export const salesOrderFields: Fields = {
  OrderID: 'guid',
  OrderNumber: 'int',
  OrderDate: 'datetime',
  OrderedBy: 'guid',
  OrderedByName: 'string',
  InvoiceTo: 'guid',
  InvoiceToName: 'string',
  DeliverTo: 'guid',
  DeliverToName: 'string',
  DeliveryDate: 'datetime',
  Currency: 'string',
  AmountDC: 'double',
  AmountFC: 'double',
  AmountFCExclVat: 'double',
  AmountDiscount: 'double',
  YourRef: 'string',
  Description: 'string',
  Remarks: 'string',
  Status: 'int',
  StatusDescription: 'string',
  DeliveryStatus: 'int',
  DeliveryStatusDescription: 'string',
  InvoiceStatus: 'int',
  InvoiceStatusDescription: 'string',
  WarehouseID: 'guid',
  PaymentCondition: 'string',
  PaymentConditionDescription: 'string',
  PaymentReference: 'string',
  Created: 'datetime',
  Modified: 'datetime',
  Division: 'int',
};

export const salesOrderLineFields: Fields = {
  ID: 'guid',
  OrderID: 'guid',
  OrderNumber: 'int',
  LineNumber: 'int',
  Item: 'guid',
  ItemCode: 'string',
  ItemDescription: 'string',
  Description: 'string',
  Quantity: 'double',
  QuantityDelivered: 'double',
  QuantityInvoiced: 'double',
  UnitPrice: 'double',
  NetPrice: 'double',
  Discount: 'double',
  UnitCode: 'string',
  AmountFC: 'double',
  AmountDC: 'double',
  VATCode: 'string',
  VATPercentage: 'double',
  VATAmount: 'double',
  DeliveryDate: 'datetime',
  CostCenter: 'string',
  Project: 'guid',
  Division: 'int',
};

/** Exact's mandatory filtering on SalesOrders (it has a sync equivalent). */
const salesOrderFilterFields = ['OrderID', 'OrderNumber', 'OrderedBy', 'YourRef', 'Modified', 'Created', 'Status', 'Description'];

export const salesOrderEndpoints: Endpoint[] = [
  { path: 'salesorder/SalesOrders', dataset: 'salesOrders', model: 'SalesOrder', key: 'OrderID', fields: salesOrderFields, pageSize: 60, methods: ['GET', 'POST', 'PUT', 'DELETE'], mandatoryFilter: salesOrderFilterFields, navigation: ['SalesOrderLines'] },
  { path: 'salesorder/SalesOrderLines', dataset: 'salesOrderLines', model: 'SalesOrderLine', key: 'ID', fields: salesOrderLineFields, pageSize: 60, methods: ['GET'] },
  { path: 'bulk/SalesOrder/SalesOrders', dataset: 'salesOrders', model: 'BulkSalesOrderSalesOrder', key: 'OrderID', fields: salesOrderFields, pageSize: 1000, methods: ['GET'], selectRequired: true },
  { path: 'sync/SalesOrder/SalesOrderHeaders', dataset: 'salesOrders', model: 'SyncSalesOrderSalesOrderHeader', key: 'Timestamp', fields: { ...salesOrderFields, Timestamp: 'int64' }, pageSize: 1000, methods: ['GET'], sync: true },
];
