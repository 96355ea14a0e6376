import type { OrdersService } from '../../../../orders/service';
import type { Division } from '../divisions';

/** What every part of the Orders tab works with: the service, the connection's divisions, who is signed in. */
export interface OrdersPage {
  service: OrdersService;
  divisions: Division[];
  defaultDivision: number | undefined;
  user: string;
}
